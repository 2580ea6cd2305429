/* One partner as the domain sees it: its database, its id and its time (the partner clock).
 * Every lookup here is scoped to that partner: another partner's ids are unknown. */
#ifndef MOCK3AS_TENANT_H
#define MOCK3AS_TENANT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/customers_db.h"
#include "store/db.h"
#include "store/packages_db.h"
#include "store/websites_db.h"
#include "util/outcome.h"

struct tenant {
    struct db *db;
    const char *intp_id; /* borrowed */
    int64_t now;         /* the partner's clock */
};

/* The partner settings that shape the resources routes. */
struct intp_model {
    bool intpc;            /* subscriptionType "intpc" (else "website") */
    char billing_mode[24]; /* "company_managed" | "platform_managed" */
};

/* The partner's model; OUT_NO_INTP when the partner is gone. Each returns 0, or -1 with `o`
 * filled. */
int tenant_model(const struct tenant *t, struct intp_model *out, struct outcome *o);

/* The partner's customer / website (by the partner's own id) / package (by id); OUT_NO_… when
 * unknown. `field` names where the id came from ("intpCustomerId", "packageId", a route param)
 * and is named in the refusal. */
int tenant_customer(const struct tenant *t, const char *intp_customer_id, const char *field,
                    struct customer *out, struct outcome *o);
int tenant_website(const struct tenant *t, const char *intp_website_id, const char *field,
                   struct website *out, struct outcome *o);
int tenant_package(const struct tenant *t, const char *id, const char *field, struct package *out,
                   struct outcome *o);

#endif
