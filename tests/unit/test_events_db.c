/* Unit tests of store/events_db.c against ":memory:": the event vocabulary (names, which kinds
 * reset usage and which fold), insert and read back of every field, time order, the package
 * names joined, a stored kind or status that is not ours, and the history going with its
 * subscription however that is deleted. No HTTP. */
#include <string.h>

#include "store/events_db.h"
#include "history_rows.h"
#include "store_fixture.h"

/* ---- the vocabulary ---- */

static void test_kinds(void)
{
    static const struct {
        enum sub_event_kind kind;
        const char *name;
        bool resets, folds;
    } cases[] = {
        {EV_CREATED, "created", false, false},
        {EV_UPGRADE, "upgrade", true, false},
        {EV_REACTIVATE, "reactivate", true, false},
        {EV_DOWNGRADE, "downgrade", false, false},
        {EV_CANCEL, "cancel", false, false},
        {EV_RESUME, "resume", false, false},
        {EV_DEACTIVATE, "deactivate", false, false},
        {EV_TRIAL_ENDED, "trial_ended", true, false},
        {EV_RENEWAL, "renewal", true, true},
        {EV_DOWNGRADE_APPLIED, "downgrade_applied", true, false},
        {EV_CANCELLATION_APPLIED, "cancellation_applied", true, false},
        {EV_STP_RESET, "stp_reset", true, true},
    };
    ok(ARRAY_SIZE(cases) == EV__COUNT, "every kind has a case (%d)", (int)EV__COUNT);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *name = sub_event_name(cases[i].kind);
        ok(name && strcmp(name, cases[i].name) == 0 && sub_event_parse(name) == cases[i].kind,
           "%s: name and parse round trip", cases[i].name);
        ok(sub_event_kind_resets_usage(cases[i].kind) == cases[i].resets &&
               sub_event_kind_folds(cases[i].kind) == cases[i].folds,
           "%s: %s usage, %s", cases[i].name, cases[i].resets ? "resets" : "keeps",
           cases[i].folds ? "folds" : "does not fold");
    }
    static const char *const unknown[] = {"weird", "", "Renewal", "renewals", "stp-reset"};
    for (size_t i = 0; i < ARRAY_SIZE(unknown); i++)
        ok(sub_event_parse(unknown[i]) == EV_NONE, "'%s' is EV_NONE", unknown[i]);
    ok(sub_event_parse(NULL) == EV_NONE, "NULL is EV_NONE");
    ok(sub_event_name(EV_NONE) == NULL && sub_event_name(EV__COUNT) == NULL,
       "EV_NONE and out-of-range kinds have no name");
    ok(!sub_event_kind_resets_usage(EV_NONE) && !sub_event_kind_folds(EV_NONE) &&
           !sub_event_kind_resets_usage(EV__COUNT) && !sub_event_kind_folds(EV__COUNT),
       "EV_NONE and out-of-range kinds neither reset nor fold");
}

/* ---- the history ---- */

static struct sub_event event(int64_t at, enum sub_event_kind kind, const char *from,
                              const char *to, enum sub_status before, enum sub_status after)
{
    struct sub_event ev = {.at = at,
                           .kind = kind,
                           .status_before = before,
                           .status_after = after,
                           .credit_cents = -1,
                           .charge_cents = -1,
                           .periods = 1,
                           .until_at = at};
    snprintf(ev.from_package_id, sizeof(ev.from_package_id), "%s", from);
    snprintf(ev.to_package_id, sizeof(ev.to_package_id), "%s", to);
    return ev;
}

/* Whether stored event `b` reads back as `a` was written: a single period keeps no "until". */
static bool same_event(const struct sub_event *a, const struct sub_event *b)
{
    int64_t periods = a->periods > 1 ? a->periods : 1, until = a->periods > 1 ? a->until_at : -1;
    bool same = a->at == b->at && a->kind == b->kind &&
                strcmp(a->from_package_id, b->from_package_id) == 0 &&
                strcmp(a->to_package_id, b->to_package_id) == 0 &&
                a->status_before == b->status_before && a->status_after == b->status_after &&
                a->credit_cents == b->credit_cents && a->charge_cents == b->charge_cents &&
                periods == b->periods && until == b->until_at;
    if (!same)
        printf("# got at %lld kind %d from '%s' to '%s' status %d->%d cents %lld/%lld periods "
               "%lld until %lld\n",
               (long long)b->at, b->kind, b->from_package_id, b->to_package_id, b->status_before,
               b->status_after, (long long)b->credit_cents, (long long)b->charge_cents,
               (long long)b->periods, (long long)b->until_at);
    return same;
}

/* A one-number query's answer, or -1. */
static int64_t scalar_of(const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db.conn, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The rowid of subscription `id`, or -1. */
static int64_t sub_rowid(const char *id)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT rowid FROM subscriptions WHERE id = '%s'", id);
    return scalar_of(sql);
}

static void test_history(void)
{
    struct customer c, c2;
    struct website w, w2;
    struct package uft, basic, free_pkg;
    struct rows rows = {0};
    char gone[UUID_SIZE];
    make_site("c1", "w1", &c, &w);
    make_site("c2", "w2", &c2, &w2);
    packages_db_get_default(&db, "p1", UFT_PACKAGE_NAME, "monthly", &uft);
    packages_db_get_default(&db, "p1", "Basic", "monthly", &basic);
    packages_db_get_default(&db, "p1", FREE_PACKAGE_NAME, "monthly", &free_pkg);
    uuid_v4(gone); /* a package id no package has (any more) */

    ok(events_db_foreach(&db, w.subscription_id, collect_row, &rows) == DB_OK && rows.n == 0,
       "a subscription starts with no history (make_site writes none)");

    /* inserted out of time order on purpose; `want` is the order they must come back in */
    struct sub_event created = event(NOW, EV_CREATED, "", uft.id, SUB_STATUS_NONE, SUB_ACTIVE);
    struct sub_event upgrade =
        event(NOW + 100, EV_UPGRADE, uft.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
    upgrade.credit_cents = 0;
    upgrade.charge_cents = 1299;
    struct sub_event renewals =
        event(NOW + 300, EV_RENEWAL, basic.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
    renewals.periods = 3;
    renewals.until_at = NOW + 900;
    struct sub_event cancel =
        event(NOW + 1000, EV_CANCEL, basic.id, free_pkg.id, SUB_ACTIVE, SUB_CANCELED);
    struct sub_event same_second =
        event(NOW + 1000, EV_RESUME, basic.id, basic.id, SUB_CANCELED, SUB_ACTIVE);
    struct sub_event to_free =
        event(NOW + 2000, EV_DOWNGRADE, basic.id, free_pkg.id, SUB_ACTIVE, SUB_ACTIVE);
    struct sub_event deact =
        event(NOW + 3000, EV_DEACTIVATE, free_pkg.id, "", SUB_ACTIVE, SUB_INACTIVE);
    deact.credit_cents = 0; /* 0 is a value, not "none" */
    deact.charge_cents = 0;
    const struct sub_event *insert_order[] = {&renewals, &cancel, &created,    &to_free,
                                              &upgrade,  &deact,  &same_second};
    const struct sub_event *want[] = {&created,     &upgrade, &renewals, &cancel,
                                      &same_second, &to_free, &deact};
    bool inserted = true;
    for (size_t i = 0; i < ARRAY_SIZE(insert_order); i++)
        inserted = inserted && events_db_insert(&db, w.subscription_id, insert_order[i]) == DB_OK;
    ok(inserted, "insert %zu events", ARRAY_SIZE(insert_order));
    struct sub_event other = event(NOW + 50, EV_CREATED, "", uft.id, SUB_STATUS_NONE, SUB_ACTIVE);
    ok(events_db_insert(&db, w2.subscription_id, &other) == DB_OK,
       "an event of another subscription");

    enum db_result res = events_db_foreach(&db, w.subscription_id, collect_row, &rows);
    ok(res == DB_OK && rows.n == (int)ARRAY_SIZE(want),
       "foreach gives the subscription's own events only (%d)", rows.n);
    for (size_t i = 0; i < ARRAY_SIZE(want) && i < (size_t)rows.n; i++)
        ok(same_event(want[i], &rows.r[i].ev), "row %zu: %s at NOW+%lld, every field", i,
           sub_event_name(want[i]->kind), (long long)(want[i]->at - NOW));

    if (rows.n != (int)ARRAY_SIZE(want))
        return;
    const struct history_row *r = rows.r;
    ok(r[0].ev.status_before == SUB_STATUS_NONE && r[0].ev.credit_cents == -1 &&
           r[0].ev.charge_cents == -1,
       "a creation has no status before and no proration");
    ok(!r[0].has_from_name && !r[0].from_package_name[0] && !r[0].ev.from_package_id[0] &&
           r[0].has_to_name && strcmp(r[0].to_package_name, UFT_PACKAGE_NAME) == 0,
       "a creation: no from package (no name), the trial as to");
    ok(r[1].has_from_name && strcmp(r[1].from_package_name, UFT_PACKAGE_NAME) == 0 &&
           r[1].has_to_name && strcmp(r[1].to_package_name, "Basic") == 0,
       "an upgrade: both package names joined");
    ok(r[1].ev.credit_cents == 0 && r[1].ev.charge_cents == 1299, "proration 0 / 1299 cents");
    ok(r[2].ev.periods == 3 && r[2].ev.until_at == NOW + 900, "folded renewals: periods 3, until");
    ok(r[3].ev.kind == EV_CANCEL && r[4].ev.kind == EV_RESUME,
       "events of the same second keep their insert order");
    ok(strcmp(r[5].ev.to_package_id, free_pkg.id) == 0 && r[5].has_to_name &&
           strcmp(r[5].to_package_name, FREE_PACKAGE_NAME) == 0 && r[5].has_from_name &&
           strcmp(r[5].from_package_name, "Basic") == 0,
       "a downgrade: both packages by id and name");
    ok(!r[6].has_to_name && !r[6].to_package_name[0] && !r[6].ev.to_package_id[0] &&
           r[6].ev.status_after == SUB_INACTIVE,
       "no to package at all: empty id, no name");

    /* periods: 1 stands alone (until none), below 1 stores 1 */
    struct sub_event single =
        event(NOW + 4000, EV_STP_RESET, basic.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
    single.until_at = NOW + 4500; /* ignored: only a folded event has an "until" */
    struct sub_event zero =
        event(NOW + 5000, EV_STP_RESET, basic.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
    zero.periods = 0;
    zero.until_at = NOW + 5500;
    struct rows r2 = {0};
    ok(events_db_insert(&db, w2.subscription_id, &single) == DB_OK &&
           events_db_insert(&db, w2.subscription_id, &zero) == DB_OK &&
           events_db_foreach(&db, w2.subscription_id, collect_row, &r2) == DB_OK && r2.n == 3,
       "two stp resets for w2");
    ok(r2.n == 3 && r2.r[1].ev.periods == 1 && r2.r[1].ev.until_at == -1,
       "a single period is stored without until (-1 back)");
    ok(r2.n == 3 && r2.r[2].ev.periods == 1 && r2.r[2].ev.until_at == -1,
       "periods below 1 are stored as 1");

    struct rows none = {0};
    ok(events_db_foreach(&db, "no-such-subscription", collect_row, &none) == DB_OK && none.n == 0,
       "an unknown subscription has an empty history");
    /* the history refers to subscriptions and packages by rowid (schema/011): an id that names
     * none is refused, and nothing is written */
    int64_t before = scalar_of("SELECT count(*) FROM subscription_history");
    struct sub_event orphan = created, to_gone = to_free;
    snprintf(to_gone.to_package_id, sizeof(to_gone.to_package_id), "%s", gone);
    ok(events_db_insert(&db, "no-such-subscription", &orphan) == DB_NOT_FOUND &&
           events_db_insert(&db, w.subscription_id, &to_gone) == DB_NOT_FOUND &&
           scalar_of("SELECT count(*) FROM subscription_history") == before,
       "an unknown subscription or package: DB_NOT_FOUND, no row");
    /* the keyed insert of a clock move takes the rowids it holds, unchecked */
    struct event_keys keys = {sub_rowid(w.subscription_id), basic.rowid, basic.rowid};
    struct rows keyed = {0};
    ok(keys.subscription > 0 && basic.rowid > 0 &&
           events_db_insert_keyed(&db, &keys, &renewals) == DB_OK &&
           events_db_foreach(&db, w.subscription_id, collect_row, &keyed) == DB_OK &&
           keyed.n == (int)ARRAY_SIZE(want) + 1 && same_event(&renewals, &keyed.r[3].ev) &&
           strcmp(keyed.r[3].from_package_name, "Basic") == 0,
       "a keyed insert (the subscription's and the packages' rowids) reads back by id and name");
    ok(db_exec(&db, "DELETE FROM subscription_history WHERE id = (SELECT max(id) FROM "
                    "subscription_history)") == 0,
       "(and is removed again)");
}

/* A stored kind or status that is not ours makes the read fail (never a default). */
static void test_broken(void)
{
    struct customer c;
    struct website w;
    struct package basic;
    make_site("c3", "w3", &c, &w);
    packages_db_get_default(&db, "p1", "Basic", "monthly", &basic);
    static const struct {
        const char *column, *value;
    } cases[] = {
        {"action", "12"},       {"action", "-1"},       {"status_after", "3"},
        {"status_after", "-1"}, {"status_before", "3"},
    };
    /* the table's CHECKs refuse such values: a damaged file is what this reads */
    ok(db_exec(&db, "PRAGMA ignore_check_constraints = ON") == 0, "CHECK constraints off");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char sql[512];
        struct rows rows = {0};
        struct sub_event ev =
            event(NOW + (int64_t)i, EV_RENEWAL, basic.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
        ok(events_db_insert(&db, w.subscription_id, &ev) == DB_OK &&
               events_db_foreach(&db, w.subscription_id, collect_row, &rows) == DB_OK &&
               rows.n == 1,
           "%s: a good event reads", cases[i].column);
        snprintf(sql, sizeof(sql),
                 "UPDATE subscription_history SET %s = %s WHERE subscription = (SELECT rowid "
                 "FROM subscriptions WHERE id = '%s')",
                 cases[i].column, cases[i].value, w.subscription_id);
        rows.n = 0;
        ok(db_exec(&db, sql) == 0 &&
               events_db_foreach(&db, w.subscription_id, collect_row, &rows) == DB_ERROR &&
               rows.n == 0,
           "stored %s %s makes foreach DB_ERROR, no row handed out", cases[i].column,
           cases[i].value);
        ok(db_exec(&db, "DELETE FROM subscription_history") == 0, "clear the history");
    }
    ok(db_exec(&db, "PRAGMA ignore_check_constraints = OFF") == 0, "CHECK constraints on");
}

/* The rows of subscription_events of `sub`, or -1. */
static int history_rows(const char *sub)
{
    struct rows rows = {0};
    return events_db_foreach(&db, sub, collect_row, &rows) == DB_OK ? (int)rows.n : -1;
}

/* The history has no foreign key (010_lighter_catch_up.sql; since 011 it refers to the
 * subscription's rowid): a trigger deletes it with its subscription, also when the subscription
 * goes by a cascade from its website or customer. */
static void test_deleted_with_subscription(void)
{
    struct customer c[3];
    struct website w[3];
    struct package basic;
    char sql[256];
    packages_db_get_default(&db, "p1", "Basic", "monthly", &basic);
    for (int i = 0; i < 3; i++) {
        char cust[8], site[8];
        snprintf(cust, sizeof(cust), "dc%d", i);
        snprintf(site, sizeof(site), "dw%d", i);
        make_site(cust, site, &c[i], &w[i]);
        for (int k = 0; k < 2; k++) {
            struct sub_event ev =
                event(NOW + k, EV_RENEWAL, basic.id, basic.id, SUB_ACTIVE, SUB_ACTIVE);
            ok(events_db_insert(&db, w[i].subscription_id, &ev) == DB_OK, "%s: event %d", site, k);
        }
    }
    snprintf(sql, sizeof(sql), "DELETE FROM subscriptions WHERE id = '%s'", w[0].subscription_id);
    ok(db_exec(&db, sql) == 0 && history_rows(w[0].subscription_id) == 0 &&
           history_rows(w[1].subscription_id) == 2 && history_rows(w[2].subscription_id) == 2,
       "deleting a subscription deletes its history, no other");
    ok(websites_db_delete(&db, w[1].id) == DB_OK && history_rows(w[1].subscription_id) == 0 &&
           history_rows(w[2].subscription_id) == 2,
       "a website's delete cascades to its subscription's history");
    ok(customers_db_delete(&db, c[2].id) == DB_OK && history_rows(w[2].subscription_id) == 0,
       "a customer's delete cascades through website and subscription to the history");
}

int main(void)
{
    store_fixture_open();
    test_kinds();
    test_history();
    test_broken();
    test_deleted_with_subscription();
    db_close(&db);
    return done_testing();
}
