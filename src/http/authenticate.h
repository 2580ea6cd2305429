/* Authentication, all of it: every auth kind of the route table (router.h) is checked here and
 * nowhere else, and fills req->auth with who the request speaks for. */
#ifndef MOCK3AS_AUTHENTICATE_H
#define MOCK3AS_AUTHENTICATE_H

#include "http/request.h"
#include "http/response.h"
#include "store/apikeys_db.h"

/* Check the credentials the matched route's auth kind asks for and fill req->auth. Returns 0,
 * or -1 with the 401/403 in `res` (an HTML page for AUTH_DASHBOARD, the D2 body elsewhere). */
int authenticate_or_reply(struct request *req, struct response *res);

/* Check an X-Api-Key value: known, not deleted, not expired on its partner's clock. Fills
 * *owner, or answers 401 "invalid api key". The login route (api/login.c) exchanges a key with
 * it; the data API's AUTH_API_KEY uses it. */
int api_key_check_or_reply(struct request *req, const char *key, struct api_key_owner *owner,
                           struct response *res);

#endif
