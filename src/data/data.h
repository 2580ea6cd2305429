/* The X-Api-Key data API (contract D7). */
#ifndef MOCK3AS_DATA_H
#define MOCK3AS_DATA_H

#include "http/request.h"
#include "http/response.h"

enum http_status data_session_analytics(struct request *req, struct response *res);
enum http_status data_page_analytics(struct request *req, struct response *res);
enum http_status data_raw_sessions(struct request *req, struct response *res);

#endif
