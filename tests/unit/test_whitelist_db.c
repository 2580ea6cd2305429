/* Unit tests of store/whitelist_db.c against ":memory:": a website's whitelisted domains keep
 * their order and ignore repeats. No HTTP. */
#include <string.h>

#include "store/whitelist_db.h"
#include "store_fixture.h"

static void test_whitelist(void)
{
    struct customer c;
    struct website w;
    char buf[256] = "";
    make_site("owner", "ws", &c, &w);
    whitelist_db_add(&db, w.id, "b.com", NOW);
    whitelist_db_add(&db, w.id, "a.com", NOW);
    whitelist_db_add(&db, w.id, "b.com", NOW);
    whitelist_db_remove(&db, w.id, "never.com");
    ok(whitelist_db_foreach(&db, w.id, collect, buf) == DB_OK && strcmp(buf, "b.com;a.com;") == 0,
       "whitelist keeps order, ignores repeats: %s", buf);
}

int main(void)
{
    store_fixture_open();
    test_whitelist();
    db_close(&db);
    return done_testing();
}
