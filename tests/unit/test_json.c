/* Unit tests of util/json.c: the escaped-NUL finder behind the body parser (issue 12) and the
 * rendering helpers. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/util.h"

static void test_find_escaped_nul(void)
{
    static const struct {
        const char *text; /* JSON text as sent (C escapes: "\\u0000" is the 6 characters) */
        bool found;
        const char *path;
    } cases[] = {
        {"{}", false, ""},
        {"{\"a\":\"x\"}", false, ""},
        {"{\"intpCustomerId\":\"c1\",\"email\":\"c1@x.io\"}", false, ""},
        {"{\"a\":\"x\\u0000\"}", true, "a"},
        {"{\"a\":\"\\u0000tail\"}", true, "a"},
        {"{\"intpCustomerId\":\"esc0\\u0000tail\"}", true, "intpCustomerId"},
        {"{\"website\":{\"domain\":\"a\\u0000b\"}}", true, "website.domain"},
        {"{\"website\":{\"intpWebsiteId\":\"w\",\"domain\":\"a\\u0000b\"}}", true,
         "website.domain"},
        {"{\"list\":[\"ok\",\"\\u0000\"]}", true, "list"},
        {"{\"list\":[{\"a\":1},{\"b\":\"\\u0000\"}]}", true, "list.b"},
        {"{\"k\\u0000\":1}", true, "k\\u0000"},
        {"{\"a\":{\"k\\u0000\":1}}", true, "a.k\\u0000"},
        /* an escaped backslash followed by the text u0000 is no NUL */
        {"{\"a\":\"\\\\u0000\"}", false, ""},
        {"{\"a\\\\u0000\":\"\\\\u0000\"}", false, ""},
        /* another control character is not a NUL */
        {"{\"a\":\"\\u0001\"}", false, ""},
        {"{\"a\":\"\\u00001\"}", true, "a"},
        /* the second member after a plain first one */
        {"{\"a\":\"x\",\"b\":\"y\\u0000\"}", true, "b"},
        {"{ \"a\" : \"x\" , \"b\" : \"\\u0000\" }", true, "b"},
        {"{\"a\":{\"x\":1},\"b\":\"\\u0000\"}", true, "b"},
        {"{\"a\":[1,2],\"b\":{\"c\":\"\\u0000\"}}", true, "b.c"},
        {"{\"a\":\"say \\\"hi\\\"\",\"b\":\"\\u0000\"}", true, "b"},
        {"{\"a\":\"x\\\"\",\"b\":1}", false, ""},
        /* a top-level string: there is no key to name */
        {"\"\\u0000\"", true, ""},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char path[128];
        memset(path, 'X', sizeof(path));
        bool found =
            json_find_escaped_nul(cases[i].text, strlen(cases[i].text), path, sizeof(path));
        ok(found == cases[i].found && strcmp(path, cases[i].path) == 0,
           "json_find_escaped_nul case %zu: %s, path '%s'", i, found ? "found" : "none", path);
    }
}

static void test_find_escaped_nul_bounds(void)
{
    /* bounded by len: a NUL after the first len bytes is not seen */
    const char *two = "{\"a\":\"x\"}{\"b\":\"\\u0000\"}";
    char path[64];
    ok(!json_find_escaped_nul(two, 9, path, sizeof(path)) && strcmp(path, "") == 0,
       "json_find_escaped_nul stops at len");
    ok(json_find_escaped_nul(two, strlen(two), path, sizeof(path)), "and sees it with all of it");

    /* a path buffer too small still ends with a NUL inside it; nothing is written past it */
    const char *deep = "{\"website\":{\"domain\":\"a\\u0000b\"}}";
    char small[16];
    memset(small, 'X', sizeof(small));
    bool found = json_find_escaped_nul(deep, strlen(deep), small, 8);
    ok(found && strlen(small) < 8 && small[8] == 'X', "a path buffer of 8: found, '%s' fits",
       small);

    /* a path of exactly the room there is */
    char exact[15];
    ok(json_find_escaped_nul(deep, strlen(deep), exact, sizeof(exact)) &&
           strcmp(exact, "website.domain") == 0,
       "a path buffer of 15 holds website.domain");

    /* nesting deeper than the scanner tracks is still scanned */
    char text[400] = "";
    for (int i = 0; i < 80; i++)
        strcat(text, "[");
    strcat(text, "\"\\u0000\"");
    for (int i = 0; i < 80; i++)
        strcat(text, "]");
    ok(json_find_escaped_nul(text, strlen(text), path, sizeof(path)) && strcmp(path, "") == 0,
       "a NUL 80 arrays deep is found");
}

static void test_render_helpers(void)
{
    static const struct {
        int64_t t;
        const char *want;
    } times[] = {
        {-1, "{\"t\":null}"},
        {-86400, "{\"t\":null}"},
        {0, "{\"t\":\"1970-01-01T00:00:00Z\"}"},
        {1795341600, "{\"t\":\"2026-11-22T10:00:00Z\"}"},
        {1709164800, "{\"t\":\"2024-02-29T00:00:00Z\"}"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
        cJSON *obj = cJSON_CreateObject();
        json_add_time(obj, "t", times[i].t);
        char *text = cJSON_PrintUnformatted(obj);
        ok(text && strcmp(text, times[i].want) == 0, "json_add_time %lld: %s",
           (long long)times[i].t, text ? text : "(null)");
        free(text);
        cJSON_Delete(obj);
    }
    cJSON *obj = cJSON_CreateObject();
    json_add_string_or_null(obj, "a", NULL);
    json_add_string_or_null(obj, "b", "x\"y");
    json_add_string_or_null(obj, "c", "");
    char *text = cJSON_PrintUnformatted(obj);
    ok(text && strcmp(text, "{\"a\":null,\"b\":\"x\\\"y\",\"c\":\"\"}") == 0,
       "json_add_string_or_null: %s", text ? text : "(null)");
    free(text);
    cJSON_Delete(obj);
}

/* The printed text of `item` (deleted), as a new string. */
static char *printed(cJSON *item)
{
    char *text = cJSON_PrintUnformatted(item);
    cJSON_Delete(item);
    return text;
}

/* json_write_string and json_write_time append what cJSON_PrintUnformatted prints for the same
 * value: every byte alone, strings mixing escapes, UTF-8 and plain runs, null. */
static void test_write_string(void)
{
    static const char *const strings[] = {"",
                                          "plain",
                                          "q\"uote",
                                          "back\\slash",
                                          "tab\tnl\n",
                                          "\x01\x1f\x7f",
                                          "caf\xc3\xa9 \xe2\x82\xac",
                                          "\b\f\r mixed \"\\\" end"};
    struct strbuf sb = STRBUF_INIT;
    int differ = 0;
    for (int c = 1; c < 256; c++) {
        char one[2] = {(char)c, '\0'};
        char *want = printed(cJSON_CreateString(one));
        strbuf_reset(&sb);
        json_write_string(&sb, one);
        if (!want || strcmp(sb.buf, want) != 0)
            differ++;
        cJSON_free(want);
    }
    ok(differ == 0, "every byte 1-255 is written as cJSON prints it (%d differ)", differ);
    for (size_t i = 0; i < ARRAY_SIZE(strings); i++) {
        char *want = printed(cJSON_CreateString(strings[i]));
        strbuf_reset(&sb);
        json_write_string(&sb, strings[i]);
        ok(want && strcmp(sb.buf, want) == 0, "string %zu: %s", i, sb.buf);
        cJSON_free(want);
    }
    strbuf_reset(&sb);
    json_write_string(&sb, NULL);
    json_write_time(&sb, -1);
    json_write_time(&sb, 1795341600);
    ok(strcmp(sb.buf, "nullnull\"2026-11-22T10:00:00Z\"") == 0, "null, and a time: %s", sb.buf);
    strbuf_release(&sb);
}

int main(void)
{
    test_find_escaped_nul();
    test_find_escaped_nul_bounds();
    test_render_helpers();
    test_write_string();
    return done_testing();
}
