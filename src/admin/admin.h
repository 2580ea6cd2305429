/* The admin-API handlers (/__admin, /healthz), by file. Each returns the HTTP status it put into
 * `res`. */
#ifndef MOCK3AS_ADMIN_H
#define MOCK3AS_ADMIN_H

#include "http/request.h"
#include "http/response.h"

/* admin.c: health and the global reset */
enum http_status admin_health(struct request *req, struct response *res);
enum http_status admin_reset_all(struct request *req, struct response *res);

/* intps.c: partners and their tokens */
enum http_status admin_intps_create(struct request *req, struct response *res);
enum http_status admin_intps_list(struct request *req, struct response *res);
enum http_status admin_intps_get(struct request *req, struct response *res);
enum http_status admin_intps_delete(struct request *req, struct response *res);
enum http_status admin_intps_reset(struct request *req, struct response *res);
enum http_status admin_intps_tokens(struct request *req, struct response *res);

/* clock.c: the partner clock */
enum http_status admin_clock_get(struct request *req, struct response *res);
enum http_status admin_clock_set(struct request *req, struct response *res);

/* faults.c: fault injection */
enum http_status admin_faults_create(struct request *req, struct response *res);
enum http_status admin_faults_list(struct request *req, struct response *res);
enum http_status admin_faults_clear(struct request *req, struct response *res);
enum http_status admin_faults_delete(struct request *req, struct response *res);

/* history.c: subscription history */
enum http_status admin_website_history(struct request *req, struct response *res);
enum http_status admin_customer_history(struct request *req, struct response *res);

/* usage.c: recorded usage */
enum http_status admin_website_usage(struct request *req, struct response *res);

/* snapshot.c: snapshots of a partner, their restore, and the database backup */
enum http_status admin_snapshot_get(struct request *req, struct response *res);
enum http_status admin_snapshot_restore(struct request *req, struct response *res);
enum http_status admin_snapshots_restore(struct request *req, struct response *res);
enum http_status admin_backup(struct request *req, struct response *res);

#endif
