/* Lookups scoped to one partner. */
#include "billing/tenant.h"

#include <string.h>

#include "store/intps_db.h"

/* Map a store result to 0 / `missing` / OUT_FAILED. */
static int found(enum db_result r, enum outcome_code missing, const char *field, const char *id,
                 struct outcome *o)
{
    switch (r) {
    case DB_OK:
        return 0;
    case DB_NOT_FOUND:
    case DB_CONFLICT:
        return outcome_fail(o, missing, field, "%s '%s' is unknown", field, id);
    case DB_ERROR:
        break;
    }
    return outcome_fail(o, OUT_FAILED, NULL, "database error");
}

int tenant_model(const struct tenant *t, struct intp_model *out, struct outcome *o)
{
    char type[16] = "";
    enum db_result r = intps_db_model(t->db, t->intp_id, type, out->billing_mode);
    out->intpc = strcmp(type, "intpc") == 0;
    return found(r, OUT_NO_INTP, "intpId", t->intp_id, o);
}

int tenant_customer(const struct tenant *t, const char *intp_customer_id, const char *field,
                    struct customer *out, struct outcome *o)
{
    enum db_result r = customers_db_get(t->db, t->intp_id, intp_customer_id, out);
    return found(r, OUT_NO_CUSTOMER, field, intp_customer_id, o);
}

int tenant_website(const struct tenant *t, const char *intp_website_id, const char *field,
                   struct website *out, struct outcome *o)
{
    enum db_result r = websites_db_get(t->db, t->intp_id, intp_website_id, out);
    return found(r, OUT_NO_WEBSITE, field, intp_website_id, o);
}

int tenant_package(const struct tenant *t, const char *id, const char *field, struct package *out,
                   struct outcome *o)
{
    enum db_result r = packages_db_get(t->db, t->intp_id, id, out);
    return found(r, OUT_NO_PACKAGE, field, id, o);
}
