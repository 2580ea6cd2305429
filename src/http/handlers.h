/* Every route handler, by resource. Each returns the HTTP status it put into `res`. */
#ifndef MOCK3AS_HANDLERS_H
#define MOCK3AS_HANDLERS_H

#include <cjson/cJSON.h>

#include "http/request.h"
#include "http/response.h"

/* admin.c */
enum http_status admin_health(struct request *req, struct response *res);
enum http_status admin_reset_all(struct request *req, struct response *res);

/* login.c: login via API key (D6) */
enum http_status api_key_login(struct request *req, struct response *res);

/* Check an X-Api-Key value: known, not deleted, not expired on its partner's clock. Fills
 * *owner, or answers 401 "invalid api key". */
struct api_key_owner;
int api_key_check_or_reply(struct request *req, const char *key, struct api_key_owner *owner,
                           struct response *res);

/* data_api.c: the X-Api-Key data API (D7) */
enum http_status data_session_analytics(struct request *req, struct response *res);
enum http_status data_page_analytics(struct request *req, struct response *res);
enum http_status data_raw_sessions(struct request *req, struct response *res);

/* dashboard.c: the emulated dashboard iframe (D8) */
enum http_status dashboard_page(struct request *req, struct response *res);

/* docs.c */
enum http_status docs_openapi_json(struct request *req, struct response *res);
enum http_status docs_openapi_yaml(struct request *req, struct response *res);

/* intps.c: partners (admin API) and company details (partner API) */
enum http_status admin_intps_create(struct request *req, struct response *res);
enum http_status admin_intps_list(struct request *req, struct response *res);
enum http_status admin_intps_get(struct request *req, struct response *res);
enum http_status admin_intps_delete(struct request *req, struct response *res);
enum http_status admin_intps_reset(struct request *req, struct response *res);
enum http_status admin_intps_tokens(struct request *req, struct response *res);
enum http_status company_details_get(struct request *req, struct response *res);

/* customers.c (E2–E5) */
enum http_status customers_create(struct request *req, struct response *res);
enum http_status customers_list(struct request *req, struct response *res);
enum http_status customers_get(struct request *req, struct response *res);
enum http_status customers_delete(struct request *req, struct response *res);

/* websites.c (E6–E11) */
enum http_status websites_create_v3(struct request *req, struct response *res);
enum http_status websites_create_v2(struct request *req, struct response *res);
enum http_status websites_list(struct request *req, struct response *res);
enum http_status websites_get(struct request *req, struct response *res);
enum http_status websites_delete(struct request *req, struct response *res);
enum http_status websites_get_internal(struct request *req, struct response *res);

/* website_parts.c: whitelisted domains (E12–E14), API keys (E15–E17), contributors (E19–E21) */
enum http_status whitelist_add(struct request *req, struct response *res);
enum http_status whitelist_list(struct request *req, struct response *res);
enum http_status whitelist_remove(struct request *req, struct response *res);
enum http_status whitelist_remove_path(struct request *req, struct response *res);
enum http_status api_keys_create(struct request *req, struct response *res);
enum http_status api_keys_list(struct request *req, struct response *res);
enum http_status api_keys_delete(struct request *req, struct response *res);
enum http_status contributors_add(struct request *req, struct response *res);
enum http_status contributors_list(struct request *req, struct response *res);
enum http_status contributors_remove(struct request *req, struct response *res);

/* packages.c (E22–E27) */
enum http_status packages_list(struct request *req, struct response *res);
enum http_status packages_get(struct request *req, struct response *res);
enum http_status packages_create(struct request *req, struct response *res);
enum http_status packages_rename(struct request *req, struct response *res);
enum http_status packages_assign(struct request *req, struct response *res);
enum http_status packages_unassign(struct request *req, struct response *res);

/* sub_actions.c (E28–E39 and the legacy v2 notifications routes) */
enum http_status website_subscription_action(struct request *req, struct response *res);
enum http_status intpc_subscription_action(struct request *req, struct response *res);

/* admin_clock.c: the partner clock, subscription history, recorded usage */
enum http_status admin_clock_get(struct request *req, struct response *res);
enum http_status admin_clock_set(struct request *req, struct response *res);
enum http_status admin_website_history(struct request *req, struct response *res);
enum http_status admin_customer_history(struct request *req, struct response *res);
enum http_status admin_website_usage(struct request *req, struct response *res);

/* Onboard a partner described by `body` (the POST /__admin/intps body; borrowed): validate,
 * insert, create its catalogue, register its key. Runs inside the caller's transaction. Fills
 * `res` with 201 {"payload": partner} or the error, and returns the status. */
enum http_status intps_onboard(struct app *app, const cJSON *body, struct response *res);

#endif
