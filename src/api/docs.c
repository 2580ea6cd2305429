/* The OpenAPI document of everything mock3as serves, embedded at build time from
 * schema/openapi.yaml (and its JSON conversion). */
#include <string.h>

#include "util/embedded.h"
#include "api/api.h"
#include "util/util.h"

/* Answer the embedded file `name` as `content_type`. */
static enum http_status reply_doc(struct response *res, const char *name, const char *content_type)
{
    for (const struct embedded_file *f = docs; f->name; f++) {
        if (strcmp(f->name, name) != 0)
            continue;
        response_clear(res);
        res->status = HTTP_OK;
        res->text = xstrndup(f->text, f->size);
        res->text_len = f->size;
        res->content_type = content_type;
        return HTTP_OK;
    }
    return reply_error(res, ERR_INTERNAL, NULL, "%s is not embedded", name);
}

/* GET /openapi.json -> 200 the OpenAPI document as JSON */
enum http_status docs_openapi_json(struct request *req, struct response *res)
{
    (void)req;
    return reply_doc(res, "openapi.json", "application/json");
}

/* GET /openapi.yaml -> 200 the OpenAPI document as YAML */
enum http_status docs_openapi_yaml(struct request *req, struct response *res)
{
    (void)req;
    return reply_doc(res, "openapi.yaml", "application/yaml");
}
