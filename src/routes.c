/* The route table: the whole API on one screen. The dispatcher (dispatch.c) matches, checks
 * `auth`, wraps `writes` routes in one transaction, and answers 401/403/404/405 itself. */
#include "routes.h"

#include "handlers.h"

/* clang-format off */
static const struct route routes[] = {
    /* method   pattern                              handler               auth        writes */
    {"GET",    "/healthz",                           admin_health,         AUTH_NONE,  false},
    {"GET",    "/__admin/health",                    admin_health,         AUTH_ADMIN, false},
    {"POST",   "/__admin/reset",                     admin_reset_all,      AUTH_ADMIN, true},
    {"POST",   "/__admin/intps",                     admin_intps_create,   AUTH_ADMIN, true},
    {"GET",    "/__admin/intps",                     admin_intps_list,     AUTH_ADMIN, false},
    {"GET",    "/__admin/intps/{id}",                admin_intps_get,      AUTH_ADMIN, false},
    {"DELETE", "/__admin/intps/{id}",                admin_intps_delete,   AUTH_ADMIN, true},
    {"POST",   "/__admin/intps/{id}/reset",          admin_intps_reset,    AUTH_ADMIN, true},
    {"POST",   "/__admin/intps/{id}/tokens",         admin_intps_tokens,   AUTH_ADMIN, false},

    /* Partner API (contract §5), INTP token */
    {"GET",    "/v2/3as/company-details",            company_details_get,  AUTH_INTP,  false},
    {0},
};
/* clang-format on */

const struct route *routes_table(void)
{
    return routes;
}
