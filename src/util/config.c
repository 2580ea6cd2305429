/* Run-time configuration: one table of options (flag, environment variable, default, help),
 * applied as defaults, then environment, then command line. */
#include "util/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

typedef int (*option_set_fn)(struct config *cfg, const char *value);

struct option_def {
    const char *flag;  /* "--port" */
    const char *env;   /* "MOCK3AS_PORT", or NULL */
    const char *def;   /* default applied before the environment, or NULL */
    const char *arg;   /* argument name in --help, NULL for a switch */
    const char *help;  /* one line */
    option_set_fn set; /* 0, or -1 when the value is invalid */
};

static int set_string(char **slot, const char *value)
{
    free(*slot);
    *slot = value && *value ? xstrdup(value) : NULL;
    return 0;
}

static int set_bind(struct config *c, const char *v)
{
    return *v ? set_string(&c->bind, v) : -1;
}

/* A whole number in [min, max] into *out. */
static int set_int(int *out, const char *v, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -1;
    *out = (int)n;
    return 0;
}

static int set_port(struct config *c, const char *v)
{
    return set_int(&c->port, v, 0, 65535);
}

static int set_db(struct config *c, const char *v)
{
    return *v ? set_string(&c->db_path, v) : -1;
}

static int set_fixtures(struct config *c, const char *v)
{
    return set_string(&c->fixtures_dir, v);
}

static int set_profile(struct config *c, const char *v)
{
    if (strcmp(v, "observed") == 0)
        c->profile = PROFILE_OBSERVED;
    else if (strcmp(v, "intended") == 0)
        c->profile = PROFILE_INTENDED;
    else
        return -1;
    return 0;
}

static int set_log_level(struct config *c, const char *v)
{
    return log_level_parse(v, &c->log_level);
}

static int set_log_format(struct config *c, const char *v)
{
    return log_format_parse(v, &c->log_format);
}

static int set_trial_days(struct config *c, const char *v)
{
    return set_int(&c->trial_days, v, 1, 3650);
}

static int set_max_connections(struct config *c, const char *v)
{
    return set_int(&c->max_connections, v, 1, 100000);
}

static int set_max_per_ip(struct config *c, const char *v)
{
    return set_int(&c->max_per_ip, v, 0, 100000);
}

static int set_workers(struct config *c, const char *v)
{
    return set_int(&c->workers, v, 1, 64);
}

static int set_idle_timeout(struct config *c, const char *v)
{
    return set_int(&c->idle_timeout, v, 1, 3600);
}

static int set_shutdown_grace(struct config *c, const char *v)
{
    return set_int(&c->shutdown_grace_ms, v, 0, 600000);
}

static int set_admin_token(struct config *c, const char *v)
{
    return set_string(&c->admin_token, v);
}

static int set_max_body(struct config *c, const char *v)
{
    return config_parse_size(v, &c->max_body);
}

static int set_public_url(struct config *c, const char *v)
{
    if (*v && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return -1;
    set_string(&c->public_url, v);
    size_t n = c->public_url ? strlen(c->public_url) : 0;
    if (n && c->public_url[n - 1] == '/')
        c->public_url[n - 1] = '\0';
    return 0;
}

/* Switches take "1/true/yes/on" or "0/false/no/off" from the environment; a bare flag is "1". */
static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no",
                                                                                "off", ""};
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
        if (strcasecmp(v, yes[i]) == 0)
            return *out = true, 0;
    for (size_t i = 0; i < ARRAY_SIZE(no); i++)
        if (strcasecmp(v, no[i]) == 0)
            return *out = false, 0;
    return -1;
}

static int set_insecure_admin(struct config *c, const char *v)
{
    return parse_bool(v, &c->insecure_admin);
}

static int set_journal_entries(struct config *c, const char *v)
{
    return set_int(&c->journal_entries, v, 1, 1000000);
}

static int set_journal_bytes(struct config *c, const char *v)
{
    return config_parse_size(v, &c->journal_bytes);
}

static int set_no_journal(struct config *c, const char *v)
{
    return parse_bool(v, &c->no_journal);
}

static int set_check_health(struct config *c, const char *v)
{
    return strncmp(v, "http://", 7) == 0 ? set_string(&c->check_health, v) : -1;
}

static int set_help(struct config *c, const char *v)
{
    return parse_bool(v, &c->help);
}

static int set_version(struct config *c, const char *v)
{
    return parse_bool(v, &c->version);
}

/* The defaults live here and nowhere else. */
static const struct option_def options[] = {
    {"--bind", "MOCK3AS_BIND", "127.0.0.1", "ADDR", "address to listen on", set_bind},
    {"--port", "MOCK3AS_PORT", "8080", "PORT", "TCP port; 0 picks a free one and prints it",
     set_port},
    {"--db", "MOCK3AS_DB", "mock3as.db", "PATH", "SQLite database file, or :memory:", set_db},
    {"--fixtures", "MOCK3AS_FIXTURES", "fixtures/", "DIR",
     "fixtures loaded into a new database (empty: none)", set_fixtures},
    {"--profile", "MOCK3AS_PROFILE", "observed", "observed|intended",
     "compatibility profile (contract D3)", set_profile},
    {"--log-level", "MOCK3AS_LOG_LEVEL", "info", "error|warn|info|debug", "log verbosity",
     set_log_level},
    {"--log-format", "MOCK3AS_LOG_FORMAT", "text", "text|json", "log line format", set_log_format},
    {"--trial-days", "MOCK3AS_TRIAL_DAYS", "30", "DAYS",
     "length of a trial started by an upgrade with \"trial\": true", set_trial_days},
    {"--max-connections", "MOCK3AS_MAX_CONNECTIONS", "1000", "N",
     "open connections at most (more wait to be accepted)", set_max_connections},
    {"--max-connections-per-ip", "MOCK3AS_MAX_CONNECTIONS_PER_IP", "200", "N",
     "open connections from one client address at most (more are refused; 0: no limit)",
     set_max_per_ip},
    {"--workers", "MOCK3AS_WORKERS", "4", "N",
     "threads that run requests, each with its own database connection (1 for :memory:)",
     set_workers},
    {"--idle-timeout", "MOCK3AS_IDLE_TIMEOUT", "15", "SECONDS",
     "close a connection idle this long (keep-alive clients reconnect)", set_idle_timeout},
    {"--shutdown-grace", "MOCK3AS_SHUTDOWN_GRACE", "5000", "MS",
     "on SIGTERM/SIGINT, time the requests already received get to finish", set_shutdown_grace},
    {"--admin-token", "MOCK3AS_ADMIN_TOKEN", NULL, "TOKEN",
     "require 'Authorization: Bearer TOKEN' on /__admin/*", set_admin_token},
    {"--max-body", "MOCK3AS_MAX_BODY", "1MiB", "SIZE", "request body cap (larger: 413)",
     set_max_body},
    {"--public-url", "MOCK3AS_PUBLIC_URL", NULL, "URL",
     "base URL written into generated links (default http://BIND:PORT)", set_public_url},
    {"--insecure-admin", "MOCK3AS_INSECURE_ADMIN", NULL, NULL,
     "allow a non-loopback --bind without --admin-token", set_insecure_admin},
    {"--journal-entries", "MOCK3AS_JOURNAL_ENTRIES", "1000", "N",
     "request journal: requests kept per partner (and for requests of no partner)",
     set_journal_entries},
    {"--journal-bytes", "MOCK3AS_JOURNAL_BYTES", "4MiB", "SIZE",
     "request journal: memory kept in all (the oldest requests make room)", set_journal_bytes},
    {"--no-journal", "MOCK3AS_NO_JOURNAL", NULL, NULL, "keep no request journal", set_no_journal},
    {"--check-health", NULL, NULL, "URL",
     "GET URL (http only), exit 0 when it answers 200: a HEALTHCHECK without curl",
     set_check_health},
    {"--help", NULL, NULL, NULL, "print this help and exit", set_help},
    {"--version", NULL, NULL, NULL, "print the version and exit", set_version},
};

static void set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static const struct option_def *find_option(const char *flag, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++)
        if (strlen(options[i].flag) == len && strncmp(options[i].flag, flag, len) == 0)
            return &options[i];
    return NULL;
}

/* Apply "--flag value", "--flag=value" or a bare switch at argv[*i]; advances *i. */
static int apply_arg(struct config *cfg, int argc, char **argv, int *i, char *err, size_t errlen)
{
    const char *a = argv[*i], *eq = strchr(a, '='), *value;
    const struct option_def *o = find_option(a, eq ? (size_t)(eq - a) : strlen(a));
    if (!o) {
        set_error(err, errlen, "unknown option %s (see --help)", a);
        return -1;
    }
    if (eq)
        value = eq + 1;
    else if (!o->arg)
        value = "1";
    else if (*i + 1 < argc)
        value = argv[++*i];
    else {
        set_error(err, errlen, "%s needs a value (%s)", o->flag, o->arg);
        return -1;
    }
    if (o->set(cfg, value)) {
        set_error(err, errlen, "invalid value '%s' for %s (%s)", value, o->flag,
                  o->arg ? o->arg : "a switch");
        return -1;
    }
    return 0;
}

int config_parse(struct config *cfg, int argc, char **argv, config_getenv_fn env, char *err,
                 size_t errlen)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < ARRAY_SIZE(options); i++)
        if (options[i].def && options[i].set(cfg, options[i].def))
            abort(); /* a bad default is a programming error */
    for (size_t i = 0; env && i < ARRAY_SIZE(options); i++) {
        const char *v = options[i].env ? env(options[i].env) : NULL;
        if (v && options[i].set(cfg, v)) {
            set_error(err, errlen, "invalid value '%s' in %s", v, options[i].env);
            return -1;
        }
    }
    for (int i = 1; i < argc; i++)
        if (apply_arg(cfg, argc, argv, &i, err, errlen))
            return -1;
    return 0;
}

void config_release(struct config *cfg)
{
    free(cfg->bind);
    free(cfg->db_path);
    free(cfg->fixtures_dir);
    free(cfg->admin_token);
    free(cfg->public_url);
    free(cfg->check_health);
    memset(cfg, 0, sizeof(*cfg));
}

void config_usage(FILE *out)
{
    fprintf(out, "usage: mock3as [options]\n\n"
                 "A local, stateful emulator of the TWIPLA 3AS partner API.\n\n");
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option_def *o = &options[i];
        char left[64];
        snprintf(left, sizeof(left), "%s%s%s", o->flag, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-36s %s", left, o->help);
        if (o->def)
            fprintf(out, " [%s]", o->def);
        if (o->env)
            fprintf(out, " (env %s)", o->env);
        fputc('\n', out);
    }
}

bool config_bind_is_loopback(const char *bind)
{
    return strncmp(bind, "127.", 4) == 0 || strcmp(bind, "::1") == 0 ||
           strcmp(bind, "localhost") == 0;
}

int config_parse_size(const char *s, size_t *out)
{
    static const struct {
        const char *suffix;
        size_t mult;
    } units[] = {{"", 1},        {"k", 1024},    {"K", 1024},     {"KiB", 1024},
                 {"m", 1 << 20}, {"M", 1 << 20}, {"MiB", 1 << 20}};
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            if (n == 0 || n > (1ULL << 40) / units[i].mult)
                return -1;
            *out = (size_t)(n * units[i].mult);
            return 0;
        }
    }
    return -1;
}
