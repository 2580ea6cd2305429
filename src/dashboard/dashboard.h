/* The emulated dashboard iframe (contract D8). */
#ifndef MOCK3AS_DASHBOARD_H
#define MOCK3AS_DASHBOARD_H

#include "http/request.h"
#include "http/response.h"

/* GET /dashboard: the page for the website the request was authenticated for (AUTH_DASHBOARD). */
enum http_status dashboard_page(struct request *req, struct response *res);

#endif
