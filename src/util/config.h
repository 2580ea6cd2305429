/* Run-time configuration: command-line flags, each with a matching MOCK3AS_* environment
 * variable, defaults in one table (config.c). Flags win over the environment. */
#ifndef MOCK3AS_CONFIG_H
#define MOCK3AS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/log.h"

/* Contract D3: "observed" answers illegal subscription actions with 500, "intended" with 400. */
enum profile { PROFILE_OBSERVED, PROFILE_INTENDED };

struct config {
    char *bind;               /* address to listen on */
    int port;                 /* 0: pick a free port */
    char *db_path;            /* SQLite file, or ":memory:" */
    char *fixtures_dir;       /* loaded into a new database */
    enum profile profile;     /* contract D3 */
    enum log_level log_level; /* --log-level */
    enum log_format log_format;
    char *admin_token;     /* NULL: /__admin is open */
    size_t max_body;       /* request body cap in bytes; larger bodies get 413 */
    char *public_url;      /* base of generated links; NULL: http://BIND:PORT */
    int trial_days;        /* length of a trial started by upgrade {"trial": true} */
    int max_connections;   /* open connections at most; more wait in the accept backlog */
    int max_per_ip;        /* open connections from one address at most; more are refused */
    int workers;           /* threads running requests (http/workers.c) */
    int idle_timeout;      /* seconds a connection may sit idle before it is closed */
    int shutdown_grace_ms; /* SIGTERM: how long requests already received may take */
    bool insecure_admin;   /* allow a non-loopback bind with no admin token */
    int journal_entries;   /* request journal: entries kept per partner (http/journal.h) */
    size_t journal_bytes;  /* request journal: bytes kept in all */
    bool no_journal;       /* --no-journal: keep no request journal */
    char *check_health;    /* --check-health URL: probe it and exit (container health check) */
    bool help;             /* --help was given: print usage and exit */
    bool version;          /* --version was given */
};

/* A lookup like getenv(3); tests pass their own. */
typedef const char *(*config_getenv_fn)(const char *name);

/* Fill `cfg` from the defaults, then the environment (via `env`, may be NULL), then argv.
 * Returns 0, or -1 with a one-line reason in err[errlen]. Release with config_release() either
 * way. */
int config_parse(struct config *cfg, int argc, char **argv, config_getenv_fn env, char *err,
                 size_t errlen);

/* Free the strings `cfg` owns. */
void config_release(struct config *cfg);

/* Print --help text: every flag, its variable and its default. */
void config_usage(FILE *out);

/* true when `bind` is a loopback address (127.0.0.0/8, ::1, localhost). */
bool config_bind_is_loopback(const char *bind);

/* Parse a byte size: "1048576", "512k", "1M", "1MiB". Returns 0, or -1. */
int config_parse_size(const char *s, size_t *out);

#endif
