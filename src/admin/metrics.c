/* GET /metrics: the counters of http/metrics.h and the gauges read at scrape time (partners,
 * journal, caches, database size, uptime), in the Prometheus text exposition format 0.0.4. */
#include "admin/requests.h"

#include <stdio.h>
#include <sys/stat.h>

#include "http/answer_cache.h"
#include "http/journal.h"
#include "http/metrics.h"
#include "store/intps_db.h"
#include "util/strbuf.h"
#include "util/util.h"

static int count_intp(const struct intp *p, void *ctx)
{
    (void)p;
    ++*(int64_t *)ctx;
    return 0;
}

/* The bytes of the database file and its write-ahead log on disk (0 for ":memory:"). */
static double database_bytes(const char *path)
{
    struct stat st;
    char wal[4096];
    double bytes = 0;
    if (stat(path, &st) == 0)
        bytes += (double)st.st_size;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (stat(wal, &st) == 0)
        bytes += (double)st.st_size;
    return bytes;
}

static void print_journal(struct strbuf *out, struct journal *j)
{
    size_t entries = 0, bytes = 0;
    uint64_t dropped = 0;
    if (j)
        journal_stats(j, &entries, &bytes, &dropped);
    metrics_print(out, "mock3as_journal_entries", "gauge", "Requests held in the journal.",
                  (double)entries);
    metrics_print(out, "mock3as_journal_bytes", "gauge", "Memory the journal's entries take.",
                  (double)bytes);
    metrics_print(out, "mock3as_journal_dropped_total", "counter",
                  "Journal entries dropped to stay within --journal-entries and --journal-bytes.",
                  (double)dropped);
}

static void print_caches(struct strbuf *out, struct app *app)
{
    uint64_t hits = 0, misses = 0;
    answer_cache_counts(app->answers, &hits, &misses);
    metrics_print(out, "mock3as_answer_cache_hits_total", "counter",
                  "Requests of cached routes answered from the answer cache.", (double)hits);
    metrics_print(out, "mock3as_answer_cache_misses_total", "counter",
                  "Requests of cached routes that went to a worker.", (double)misses);
    metrics_print(out, "mock3as_token_cache_hits_total", "counter",
                  "Bearer tokens the token cache verified without RSA.",
                  (double)token_cache_hits(app->tokens));
    metrics_print(out, "mock3as_token_cache_misses_total", "counter",
                  "Bearer tokens the token cache passed on to RSA verification.",
                  (double)token_cache_misses(app->tokens));
}

/* GET /metrics -> 200 text/plain; version=0.0.4 | 401 (with --admin-token, without it) */
enum http_status admin_metrics(struct request *req, struct response *res)
{
    struct app *app = req->app;
    struct strbuf out = STRBUF_INIT;
    int64_t partners = 0;
    strbuf_init(&out, 8192);
    metrics_render(app->metrics, &out);
    if (intps_db_foreach(req->db, count_intp, &partners) == DB_OK)
        metrics_print(&out, "mock3as_partners", "gauge", "Partners (intps) in the database.",
                      (double)partners);
    print_journal(&out, app->journal);
    print_caches(&out, app);
    metrics_print(&out, "mock3as_database_bytes", "gauge",
                  "Size of the database file and its write-ahead log.",
                  database_bytes(app->cfg.db_path));
    metrics_print(&out, "mock3as_uptime_seconds", "gauge", "Seconds since the process started.",
                  (double)(time_mono_us() - app->start_mono_us) / 1e6);
    response_clear(res);
    res->status = HTTP_OK;
    res->text = strbuf_detach(&out, &res->text_len);
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return HTTP_OK;
}
