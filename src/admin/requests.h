/* The admin API of the request journal (http/journal.h) and GET /metrics. Each handler returns
 * the HTTP status it put into `res`. */
#ifndef MOCK3AS_ADMIN_REQUESTS_H
#define MOCK3AS_ADMIN_REQUESTS_H

#include "http/request.h"
#include "http/response.h"

/* requests.c: the journal */
enum http_status admin_requests_list(struct request *req, struct response *res);
enum http_status admin_requests_get(struct request *req, struct response *res);
enum http_status admin_requests_unmatched(struct request *req, struct response *res);
enum http_status admin_requests_count(struct request *req, struct response *res);
enum http_status admin_requests_find(struct request *req, struct response *res);
enum http_status admin_requests_clear(struct request *req, struct response *res);

/* metrics.c: the Prometheus exposition */
enum http_status admin_metrics(struct request *req, struct response *res);

#endif
