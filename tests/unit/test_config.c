/* Unit tests of config.c: defaults, environment, flags and their precedence, bad values. */
#include <string.h>

#include "util/config.h"
#include "tap.h"
#include "util/util.h"

static const char *const *fake_env;

static const char *lookup(const char *name)
{
    for (const char *const *e = fake_env; e && *e; e += 2)
        if (strcmp(e[0], name) == 0)
            return e[1];
    return NULL;
}

static int parse(struct config *c, const char *const *env, char **argv)
{
    char err[256];
    int argc = 0;
    while (argv[argc])
        argc++;
    fake_env = env;
    return config_parse(c, argc, argv, lookup, err, sizeof(err));
}

static void test_defaults(void)
{
    struct config c;
    char *argv[] = {"mock3as", NULL};
    ok(parse(&c, NULL, argv) == 0, "no flags parse");
    ok(strcmp(c.bind, "127.0.0.1") == 0 && c.port == 8080 && strcmp(c.db_path, "mock3as.db") == 0 &&
           strcmp(c.fixtures_dir, "fixtures/") == 0 && c.profile == PROFILE_OBSERVED &&
           c.log_level == LOG_INFO && c.log_format == LOG_TEXT && !c.admin_token &&
           c.max_body == 1 << 20 && !c.public_url && !c.insecure_admin && c.trial_days == 30,
       "defaults");
    config_release(&c);
}

static void test_precedence(void)
{
    struct config c;
    static const char *const env[] = {
        "MOCK3AS_PORT", "9000",       "MOCK3AS_PROFILE", "intended", "MOCK3AS_INSECURE_ADMIN",
        "yes",          "MOCK3AS_DB", ":memory:",        NULL};
    char *argv[] = {"mock3as",
                    "--port",
                    "0",
                    "--log-format=json",
                    "--max-body",
                    "512k",
                    "--public-url",
                    "http://mock:8080/",
                    NULL};
    ok(parse(&c, env, argv) == 0, "env + flags parse");
    ok(c.port == 0, "flag beats environment");
    ok(c.profile == PROFILE_INTENDED && c.insecure_admin && strcmp(c.db_path, ":memory:") == 0,
       "environment beats default");
    ok(c.log_format == LOG_JSON && c.max_body == 512 * 1024, "--flag=value and size suffix");
    ok(strcmp(c.public_url, "http://mock:8080") == 0, "public URL loses its trailing slash");
    config_release(&c);
}

static void test_rejections(void)
{
    static char *bad[][4] = {
        {"mock3as", "--port", "70000", NULL},
        {"mock3as", "--port", "x", NULL},
        {"mock3as", "--profile", "strict", NULL},
        {"mock3as", "--log-level", "loud", NULL},
        {"mock3as", "--max-body", "-1", NULL},
        {"mock3as", "--max-body", "1G", NULL},
        {"mock3as", "--public-url", "ftp://x", NULL},
        {"mock3as", "--nope", NULL, NULL},
        {"mock3as", "--port", NULL, NULL},
        {"mock3as", "--db", "", NULL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct config c;
        ok(parse(&c, NULL, bad[i]) == -1, "rejected: %s %s", bad[i][1], bad[i][2] ? bad[i][2] : "");
        config_release(&c);
    }
    struct config c;
    static const char *const env[] = {"MOCK3AS_PORT", "eighty", NULL};
    char *argv[] = {"mock3as", NULL};
    ok(parse(&c, env, argv) == -1, "bad environment value rejected");
    config_release(&c);
}

static void test_switches_and_helpers(void)
{
    struct config c;
    char *argv[] = {"mock3as", "--help", "--insecure-admin", NULL};
    ok(parse(&c, NULL, argv) == 0 && c.help && c.insecure_admin, "bare switches");
    config_release(&c);
    ok(config_bind_is_loopback("127.0.0.1") && config_bind_is_loopback("::1") &&
           !config_bind_is_loopback("0.0.0.0"),
       "loopback detection");
    size_t n;
    ok(config_parse_size("1MiB", &n) == 0 && n == 1 << 20 && config_parse_size("0", &n) == -1,
       "size parsing");
}

int main(void)
{
    test_defaults();
    test_precedence();
    test_rejections();
    test_switches_and_helpers();
    return done_testing();
}
