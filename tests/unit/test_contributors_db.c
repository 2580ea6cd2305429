/* Unit tests of store/contributors_db.c against ":memory:": a contributor has one role, the last
 * given, and is removed once. No HTTP. */
#include <string.h>

#include "store/contributors_db.h"
#include "store_fixture.h"

static void collect_role(const char *role, const char *id, const char *email, void *ctx)
{
    (void)email;
    collect(role, ctx);
    collect(id, ctx);
}

static void test_contributors(void)
{
    struct customer c, helper;
    struct website w, hw;
    char buf[256] = "";
    make_site("owner", "ws", &c, &w);
    make_site("helper", "hs", &helper, &hw);
    contributors_db_set(&db, w.id, helper.id, "editor", NOW);
    contributors_db_set(&db, w.id, helper.id, "watcher", NOW);
    ok(contributors_db_foreach(&db, w.id, collect_role, buf) == DB_OK &&
           strcmp(buf, "watcher;helper;") == 0,
       "a contributor has one role, the last given: %s", buf);
    ok(contributors_db_remove(&db, w.id, helper.id) == DB_OK &&
           contributors_db_remove(&db, w.id, helper.id) == DB_NOT_FOUND,
       "contributor removal");
}

int main(void)
{
    store_fixture_open();
    test_contributors();
    db_close(&db);
    return done_testing();
}
