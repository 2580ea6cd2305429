/* The partner-API handlers (contract §5), by file. Each returns the HTTP status it put into
 * `res`; the route table (src/routes.c) says who may call them. */
#ifndef MOCK3AS_API_H
#define MOCK3AS_API_H

#include "http/request.h"
#include "http/response.h"

/* company_details.c (E1) */
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

/* whitelist.c: whitelisted domains (E12–E14) */
enum http_status whitelist_add(struct request *req, struct response *res);
enum http_status whitelist_list(struct request *req, struct response *res);
enum http_status whitelist_remove(struct request *req, struct response *res);
enum http_status whitelist_remove_path(struct request *req, struct response *res);

/* apikeys.c: API keys (E15–E17) */
enum http_status api_keys_create(struct request *req, struct response *res);
enum http_status api_keys_list(struct request *req, struct response *res);
enum http_status api_keys_delete(struct request *req, struct response *res);

/* login.c: login via API key (D6) */
enum http_status api_key_login(struct request *req, struct response *res);

/* contributors.c (E19–E21) */
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

/* subscriptions.c (E28–E39 and the legacy v2 notifications routes) */
enum http_status website_subscription_action(struct request *req, struct response *res);
enum http_status intpc_subscription_action(struct request *req, struct response *res);

/* docs.c: the OpenAPI document */
enum http_status docs_openapi_json(struct request *req, struct response *res);
enum http_status docs_openapi_yaml(struct request *req, struct response *res);

#endif
