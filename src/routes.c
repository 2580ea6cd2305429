/* The route table: the whole API on one screen. The dispatcher (http/dispatch.c) matches, checks
 * `auth` (http/authenticate.c), puts partner routes and admin {id} routes on the partner's clock,
 * wraps `writes` routes in one transaction, and answers 401/403/404/405 itself; the 200 answers
 * of `cached` routes are reused while still right (http/answer_cache.h). Handlers live in
 * api/, admin/, dashboard/ and data/, in the file their name starts with. */
#include "routes.h"

#include "api/api.h"
#include "admin/admin.h"
#include "admin/requests.h"
#include "dashboard/dashboard.h"
#include "data/data.h"

/* clang-format off */
static const struct route routes[] = {
    /* method   pattern                              handler               auth        writes cached */
    {"GET",    "/healthz",                           admin_health,         AUTH_NONE,  false, false},
    {"GET",    "/dashboard",                         dashboard_page,       AUTH_DASHBOARD, false, false},
    {"GET",    "/openapi.json",                      docs_openapi_json,    AUTH_NONE,  false, false},
    {"GET",    "/openapi.yaml",                      docs_openapi_yaml,    AUTH_NONE,  false, false},
    {"GET",    "/__admin/health",                    admin_health,         AUTH_ADMIN, false, false},
    {"POST",   "/__admin/reset",                     admin_reset_all,      AUTH_ADMIN, true, false},
    {"POST",   "/__admin/intps",                     admin_intps_create,   AUTH_ADMIN, true, false},
    {"GET",    "/__admin/intps",                     admin_intps_list,     AUTH_ADMIN, false, false},
    {"GET",    "/__admin/intps/{id}",                admin_intps_get,      AUTH_ADMIN, false, false},
    {"DELETE", "/__admin/intps/{id}",                admin_intps_delete,   AUTH_ADMIN, true, false},
    {"POST",   "/__admin/intps/{id}/reset",          admin_intps_reset,    AUTH_ADMIN, true, false},
    {"POST",   "/__admin/intps/{id}/tokens",         admin_intps_tokens,   AUTH_ADMIN, false, false},
    {"GET",    "/__admin/intps/{id}/clock",          admin_clock_get,      AUTH_ADMIN, false, false},
    {"POST",   "/__admin/intps/{id}/clock",          admin_clock_set,      AUTH_ADMIN, true, false},
    {"POST",   "/__admin/intps/{id}/faults",         admin_faults_create,  AUTH_ADMIN, true, false},
    {"GET",    "/__admin/intps/{id}/faults",         admin_faults_list,    AUTH_ADMIN, false, false},
    {"DELETE", "/__admin/intps/{id}/faults",         admin_faults_clear,   AUTH_ADMIN, true, false},
    {"DELETE", "/__admin/intps/{id}/faults/{faultId}", admin_faults_delete, AUTH_ADMIN, true, false},
    {"GET",    "/__admin/intps/{id}/websites/{intpWebsiteId}/subscription/history", admin_website_history, AUTH_ADMIN, false, false},
    {"GET",    "/__admin/intps/{id}/customers/{intpCustomerId}/subscription/history", admin_customer_history, AUTH_ADMIN, false, false},
    {"POST",   "/__admin/intps/{id}/websites/{intpWebsiteId}/usage", admin_website_usage, AUTH_ADMIN, true, false},
    {"GET",    "/__admin/intps/{id}/snapshot",       admin_snapshot_get,   AUTH_ADMIN, false, false},
    {"POST",   "/__admin/intps/{id}/snapshot",       admin_snapshot_restore, AUTH_ADMIN, true, false},
    {"POST",   "/__admin/snapshots",                 admin_snapshots_restore, AUTH_ADMIN, true, false},
    {"GET",    "/__admin/backup",                    admin_backup,         AUTH_ADMIN, false, false},
    {"GET",    "/__admin/requests",                  admin_requests_list,  AUTH_ADMIN, false, false},
    {"DELETE", "/__admin/requests",                  admin_requests_clear, AUTH_ADMIN, false, false},
    {"POST",   "/__admin/requests/count",            admin_requests_count, AUTH_ADMIN, false, false},
    {"POST",   "/__admin/requests/find",             admin_requests_find,  AUTH_ADMIN, false, false},
    {"GET",    "/__admin/requests/unmatched",        admin_requests_unmatched, AUTH_ADMIN, false, false},
    {"GET",    "/__admin/requests/{requestId}",      admin_requests_get,   AUTH_ADMIN, false, false},
    {"GET",    "/metrics",                           admin_metrics,        AUTH_ADMIN, false, false},

    /* Partner API (contract §5), INTP token */
    {"GET",    "/v2/3as/company-details",                              company_details_get,   AUTH_INTP, false, true},
    {"POST",   "/v2/3as/customers",                                    customers_create,      AUTH_INTP, true, false},
    {"GET",    "/v2/3as/customers",                                    customers_list,        AUTH_INTP, false, true},
    {"GET",    "/v2/3as/customers/{intpCustomerId}",                   customers_get,         AUTH_INTP, false, true},
    {"DELETE", "/v2/3as/customers/{intpCustomerId}",                   customers_delete,      AUTH_INTP, true, false},
    {"POST",   "/v3/3as/websites",                                     websites_create_v3,    AUTH_INTP, true, false},
    {"POST",   "/v2/3as/websites",                                     websites_create_v2,    AUTH_INTP, true, false},
    {"GET",    "/v2/3as/websites",                                     websites_list,         AUTH_INTP, false, true},
    {"GET",    "/v2/3as/websites/{intpWebsiteId}",                     websites_get,          AUTH_INTP, false, true},
    {"DELETE", "/v2/3as/websites/{intpWebsiteId}",                     websites_delete,       AUTH_INTP, true, false},
    {"GET",    "/v2/3as/internal/websites/{uuid}",                     websites_get_internal, AUTH_INTP, false, true},
    {"POST",   "/v2/3as/websites/{intpWebsiteId}/whitelisted-domains", whitelist_add,         AUTH_INTP, true, false},
    {"GET",    "/v2/3as/websites/{intpWebsiteId}/whitelisted-domains", whitelist_list,        AUTH_INTP, false, true},
    {"PATCH",  "/v2/3as/websites/{intpWebsiteId}/whitelisted-domains", whitelist_remove,      AUTH_INTP, true, false},
    {"DELETE", "/v2/3as/websites/{intpWebsiteId}/whitelisted-domains/{domain}", whitelist_remove_path, AUTH_INTP, true, false},
    {"POST",   "/v2/3as/websites/{intpWebsiteId}/api-keys",            api_keys_create,       AUTH_INTP, true, false},
    {"GET",    "/v2/3as/websites/{intpWebsiteId}/api-keys",            api_keys_list,         AUTH_INTP, false, false},
    {"DELETE", "/v2/3as/websites/{intpWebsiteId}/api-keys/{apiKeyId}", api_keys_delete,       AUTH_INTP, true, false},
    {"POST",   "/v2/3as/api-keys/login",                               api_key_login,         AUTH_NONE, true, false},
    {"POST",   "/v3/3as/websites/{intpWebsiteId}/contributors",        contributors_add,      AUTH_INTP, true, false},
    {"GET",    "/v3/3as/websites/{intpWebsiteId}/contributors",        contributors_list,     AUTH_INTP, false, true},
    {"DELETE", "/v3/3as/websites/{intpWebsiteId}/contributors/{intpCustomerId}", contributors_remove, AUTH_INTP, true, false},
    {"GET",    "/v2/3as/packages",                                     packages_list,         AUTH_INTP, false, true},
    {"POST",   "/v2/3as/packages",                                     packages_create,       AUTH_INTP, true, false},
    {"GET",    "/v2/3as/packages/{packageId}",                         packages_get,          AUTH_INTP, false, true},
    {"PATCH",  "/v2/3as/packages/{packageId}",                         packages_rename,       AUTH_INTP, true, false},
    {"PUT",    "/v3/3as/packages/{packageId}/assignments/{targetId}",  packages_assign,       AUTH_INTP, true, false},
    {"DELETE", "/v3/3as/packages/{packageId}/assignments/{targetId}",  packages_unassign,     AUTH_INTP, true, false},
    {"POST",   "/v3/3as/website-subscriptions/{action}",               website_subscription_action, AUTH_INTP, true, false},
    {"POST",   "/v3/3as/intpc-subscriptions/{action}",                 intpc_subscription_action,   AUTH_INTP, true, false},
    {"POST",   "/v2/3as/notifications/subscriptions/{action}",         website_subscription_action, AUTH_INTP, true, false},

    /* X-Api-Key data API (contract D7): read routes that take their query as a POST body */
    {"POST",   "/v2/websites/{websiteId}/analytics/sessions",          data_session_analytics, AUTH_API_KEY, false, false},
    {"POST",   "/v2/websites/{websiteId}/analytics/pages",             data_page_analytics,    AUTH_API_KEY, false, false},
    {"POST",   "/v2/websites/{websiteId}/sessions",                    data_raw_sessions,      AUTH_API_KEY, false, false},
    {0},
};
/* clang-format on */

const struct route *routes_table(void)
{
    return routes;
}
