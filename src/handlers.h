/* Every route handler, by resource. Each returns the HTTP status it put into `res`. */
#ifndef MOCK3AS_HANDLERS_H
#define MOCK3AS_HANDLERS_H

#include <cjson/cJSON.h>

#include "request.h"
#include "response.h"

/* admin.c */
enum http_status admin_health(struct request *req, struct response *res);
enum http_status admin_reset_all(struct request *req, struct response *res);

/* intps.c: partners (admin API) and company details (partner API) */
enum http_status admin_intps_create(struct request *req, struct response *res);
enum http_status admin_intps_list(struct request *req, struct response *res);
enum http_status admin_intps_get(struct request *req, struct response *res);
enum http_status admin_intps_delete(struct request *req, struct response *res);
enum http_status admin_intps_reset(struct request *req, struct response *res);
enum http_status admin_intps_tokens(struct request *req, struct response *res);
enum http_status company_details_get(struct request *req, struct response *res);

/* Onboard a partner described by `body` (the POST /__admin/intps body; borrowed): validate,
 * insert, create its catalogue, register its key. Runs inside the caller's transaction. Fills
 * `res` with 201 {"payload": partner} or the error, and returns the status. */
enum http_status intps_onboard(struct app *app, const cJSON *body, struct response *res);

#endif
