/* The partner's own details (contract §4.1, E1). */
#include "api/api.h"
#include "api/resources.h"
#include "store/intps_db.h"
#include "api/render.h"

/* GET /v2/3as/company-details -> 200 INTP (contract E1) */
enum http_status company_details_get(struct request *req, struct response *res)
{
    struct intp p;
    switch (intps_db_get(req->db, req->auth.intp_id, &p)) {
    case DB_OK:
        break;
    case DB_NOT_FOUND:
    case DB_CONFLICT:
        return reply_error(res, ERR_INTP_NOT_FOUND, "id", "no intp with id '%s'",
                           req->auth.intp_id);
    case DB_ERROR:
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the intp");
    }
    reply_payload(res, HTTP_OK, intp_to_json(&p));
    intp_release(&p);
    return res->status;
}
