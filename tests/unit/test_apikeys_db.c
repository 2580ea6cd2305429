/* Unit tests of store/apikeys_db.c against ":memory:": a website's API key is inserted, deleted,
 * and gone. No HTTP. */
#include <string.h>

#include "store/apikeys_db.h"
#include "store_fixture.h"

static void test_apikeys(void)
{
    struct customer c;
    struct website w;
    make_site("owner", "ws", &c, &w);
    struct api_key k = {.created_at = NOW, .expires_at = -1};
    uuid_v4(k.id);
    strcpy(k.website_id, w.id);
    strcpy(k.name, "k");
    memset(k.hash, 7, sizeof(k.hash));
    ok(apikeys_db_insert(&db, &k) == DB_OK && apikeys_db_delete(&db, w.id, k.id) == DB_OK &&
           apikeys_db_delete(&db, w.id, k.id) == DB_NOT_FOUND,
       "API key insert, delete, gone");
}

int main(void)
{
    store_fixture_open();
    test_apikeys();
    db_close(&db);
    return done_testing();
}
