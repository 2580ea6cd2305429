/* Store of packages: SQL only, plus the default catalogue every partner starts with. */
#include "packages_db.h"

#include "util.h"

/* Contract §4.5: the vendor's dashboard catalogue (EUR, monthly). */
static const struct {
    const char *name;
    int64_t touchpoints;
    int64_t monthly_cents;
    bool recommended;
} catalogue[] = {
    {"Free", 440, 0, false},
    {"Basic", 11000, 1299, false},
    {"Advanced", 27500, 2499, false},
    {"Pro", 55000, 3999, true},
    {"Pro +", 110000, 7799, false},
    {"Pro ++", 220000, 15400, false},
    {"Executive", 330000, 22900, false},
    {"Executive +", 660000, 45000, false},
    {"Executive ++", 1100000, 69900, false},
    {"Unicorn", 5500000, 299900, false},
};

enum db_result packages_db_insert(struct db *db, const struct package *p)
{
    sqlite3_stmt *st = db_stmt(db, STMT_PACKAGE_INSERT,
                               "INSERT INTO packages (id, intp_id, name, price_cents, currency, "
                               "period, touchpoints, recommended, visibility, is_default, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->intp_id);
    db_bind_text(st, 3, p->name);
    sqlite3_bind_int64(st, 4, p->price_cents);
    db_bind_text(st, 5, p->currency);
    db_bind_text(st, 6, p->period);
    sqlite3_bind_int64(st, 7, p->touchpoints);
    sqlite3_bind_int(st, 8, p->recommended);
    db_bind_text(st, 9, p->visibility);
    sqlite3_bind_int(st, 10, p->is_default);
    sqlite3_bind_int64(st, 11, p->created_at);
    enum db_result r = db_step_result(db, sqlite3_step(st));
    db_done(st);
    return r;
}

/* Yearly price: the monthly price less 20 %, rounded to the cent, times 12 (Basic: 10.39 × 12 =
 * 124.68, as the vendor's dashboard shows). */
static int64_t yearly_cents(int64_t monthly_cents)
{
    return (monthly_cents * 8 + 5) / 10 * 12;
}

static enum db_result insert_default(struct db *db, struct package *p)
{
    uuid_v4(p->id);
    return packages_db_insert(db, p);
}

enum db_result packages_db_create_catalogue(struct db *db, const char *intp_id, int64_t now)
{
    struct package p = {.intp_id = intp_id,
                        .currency = "EUR",
                        .visibility = "public",
                        .is_default = true,
                        .created_at = now};
    enum db_result r = DB_OK;
    for (size_t i = 0; i < ARRAY_SIZE(catalogue) && r == DB_OK; i++) {
        p.name = catalogue[i].name;
        p.touchpoints = catalogue[i].touchpoints;
        p.recommended = catalogue[i].recommended;
        p.period = "monthly";
        p.price_cents = catalogue[i].monthly_cents;
        r = insert_default(db, &p);
        if (r != DB_OK)
            break;
        p.period = "yearly";
        p.price_cents = yearly_cents(catalogue[i].monthly_cents);
        r = insert_default(db, &p);
    }
    if (r != DB_OK)
        return r;
    p.name = UFT_PACKAGE_NAME;
    p.touchpoints = -1;
    p.recommended = false;
    p.period = "monthly";
    p.price_cents = 0;
    return insert_default(db, &p);
}
