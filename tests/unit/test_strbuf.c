/* Unit tests of strbuf.c and ALLOC_GROW: appends, formatting, growth, ownership hand-over, and
 * the abort on a size that overflows. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "util/strbuf.h"
#include "util/util.h"

/* true when sb holds exactly the `n` bytes of `want`, NUL-terminated, within its storage. */
static bool holds(const struct strbuf *sb, const char *want, size_t n)
{
    return sb->buf && sb->len == n && memcmp(sb->buf, want, n) == 0 && sb->buf[n] == '\0' &&
           (sb->alloc == 0 ? n == 0 : sb->alloc > n);
}

static void test_init(void)
{
    struct strbuf a = STRBUF_INIT, b;
    strbuf_init(&b, 0);
    ok(holds(&a, "", 0) && a.alloc == 0 && a.buf == strbuf_slopbuf, "STRBUF_INIT is empty");
    ok(holds(&b, "", 0) && b.alloc == 0 && b.buf == strbuf_slopbuf, "strbuf_init(0) is empty");
    strbuf_init(&b, 100);
    ok(holds(&b, "", 0) && b.alloc >= 101, "strbuf_init(100) reserves room: alloc %zu", b.alloc);
    strbuf_release(&b);
    strbuf_release(&a); /* never allocated: nothing to free */
    ok(a.buf == strbuf_slopbuf && a.alloc == 0, "release of an empty strbuf");
}

/* One step of a table-driven case. */
struct op {
    enum { OP_END, OP_ADDSTR, OP_ADD, OP_ADDCH, OP_RESET } kind;
    const char *s; /* OP_ADDSTR, OP_ADD */
    size_t n;      /* OP_ADD */
    int c;         /* OP_ADDCH */
};

static void run_ops(struct strbuf *sb, const struct op *ops)
{
    for (; ops->kind != OP_END; ops++) {
        switch (ops->kind) {
        case OP_ADDSTR:
            strbuf_addstr(sb, ops->s);
            break;
        case OP_ADD:
            strbuf_add(sb, ops->s, ops->n);
            break;
        case OP_ADDCH:
            strbuf_addch(sb, ops->c);
            break;
        case OP_RESET:
            strbuf_reset(sb);
            break;
        case OP_END:
            break;
        }
    }
}

static void test_appends(void)
{
    static const struct {
        const char *name;
        struct op ops[6];
        const char *want;
        size_t want_len;
    } cases[] = {
        {"nothing", {{.kind = OP_END}}, "", 0},
        {"addstr", {{OP_ADDSTR, .s = "hello"}}, "hello", 5},
        {"addstr twice",
         {{OP_ADDSTR, .s = "hello"}, {OP_ADDSTR, .s = ", world"}},
         "hello, world",
         12},
        {"addstr of \"\"", {{OP_ADDSTR, .s = ""}}, "", 0},
        {"addch", {{OP_ADDCH, .c = 'a'}, {OP_ADDCH, .c = 'b'}}, "ab", 2},
        {"addch of a high byte", {{OP_ADDCH, .c = 0xe9}}, "\xe9", 1},
        {"add with embedded NULs", {{OP_ADD, .s = "a\0b\0", .n = 4}}, "a\0b\0", 4},
        {"addch of NUL",
         {{OP_ADDSTR, .s = "x"}, {OP_ADDCH, .c = '\0'}, {OP_ADDSTR, .s = "y"}},
         "x\0y",
         3},
        {"add of 0 bytes from NULL", {{OP_ADD, .s = NULL, .n = 0}}, "", 0},
        {"add a prefix only", {{OP_ADD, .s = "abcdef", .n = 3}}, "abc", 3},
        {"reset", {{OP_ADDSTR, .s = "gone"}, {OP_RESET, .s = NULL}}, "", 0},
        {"reset then add",
         {{OP_ADDSTR, .s = "gone"}, {OP_RESET, .s = NULL}, {OP_ADDSTR, .s = "kept"}},
         "kept",
         4},
        {"reset of an empty strbuf", {{OP_RESET, .s = NULL}, {OP_ADDCH, .c = 'z'}}, "z", 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct strbuf sb = STRBUF_INIT;
        run_ops(&sb, cases[i].ops);
        ok(holds(&sb, cases[i].want, cases[i].want_len), "%s: len %zu", cases[i].name, sb.len);
        strbuf_release(&sb);
        ok(sb.buf == strbuf_slopbuf && sb.len == 0 && sb.alloc == 0, "%s: released", cases[i].name);
    }
}

/* Format with strbuf_addf() after `prefix` and compare with `want`. */
#define CHECK_ADDF(prefix, want, ...)                                                              \
    do {                                                                                           \
        struct strbuf sb_ = STRBUF_INIT;                                                           \
        strbuf_addstr(&sb_, prefix);                                                               \
        strbuf_addf(&sb_, __VA_ARGS__);                                                            \
        ok(holds(&sb_, want, sizeof(want) - 1), "addf(%s) after \"%s\"", #__VA_ARGS__, prefix);    \
        strbuf_release(&sb_);                                                                      \
    } while (0)

static void test_addf(void)
{
    CHECK_ADDF("", "42", "%d", 42);
    CHECK_ADDF("n=", "n=-7 x", "%d %s", -7, "x");
    CHECK_ADDF("", "3.1", "%.1f", 3.14159);
    CHECK_ADDF("", "100%", "%d%%", 100);
    CHECK_ADDF("", "\\u003c", "\\u%04x", '<');
    CHECK_ADDF("", "", "%s", "");
    CHECK_ADDF("a", "a\0b", "%cb", '\0');
    CHECK_ADDF("", "        ok", "%10s", "ok");

    /* the first vsnprintf() pass comes out short: grown, printed again */
    struct strbuf sb = STRBUF_INIT;
    char big[5000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    strbuf_addstr(&sb, "<");
    strbuf_addf(&sb, "%s|%d", big, 9);
    ok(sb.len == 1 + 4999 + 2 && sb.buf[0] == '<' && strspn(sb.buf + 1, "q") == 4999 &&
           strcmp(sb.buf + 5000, "|9") == 0 && sb.alloc > sb.len,
       "addf of a 5000-byte text: len %zu", sb.len);

    /* many small ones: the spare room is used */
    strbuf_reset(&sb);
    for (int i = 0; i < 1000; i++)
        strbuf_addf(&sb, "%03d,", i);
    ok(sb.len == 4000 && strncmp(sb.buf, "000,001,", 8) == 0 && strcmp(sb.buf + 3996, "999,") == 0,
       "1000 addf calls: len %zu", sb.len);
    strbuf_release(&sb);
}

static void test_large(void)
{
    enum { N = 3 * 1024 * 1024 + 7 }; /* past several doublings, not a round size */
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < N; i++)
        strbuf_addch(&sb, 'a' + (int)(i % 26));
    bool same = sb.len == N && sb.buf[N] == '\0';
    for (size_t i = 0; same && i < N; i++)
        same = sb.buf[i] == 'a' + (int)(i % 26);
    ok(same, "%d addch calls: len %zu, alloc %zu", N, sb.len, sb.alloc);

    char *chunk = xmalloc(1 << 20);
    memset(chunk, 'z', 1 << 20);
    strbuf_reset(&sb);
    for (int i = 0; i < 8; i++)
        strbuf_add(&sb, chunk, 1 << 20);
    ok(sb.len == 8u << 20 && sb.buf[sb.len] == '\0' && sb.buf[0] == 'z' &&
           sb.buf[sb.len - 1] == 'z' && memcmp(sb.buf + (7u << 20), chunk, 1 << 20) == 0,
       "8 MiB in 1 MiB adds: len %zu", sb.len);
    free(chunk);
    strbuf_release(&sb);
}

static void test_grow(void)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_grow(&sb, 0);
    ok(holds(&sb, "", 0) && sb.alloc >= 1 && sb.buf != strbuf_slopbuf, "grow(0) allocates the NUL");
    strbuf_addstr(&sb, "abc");
    strbuf_grow(&sb, 1000);
    ok(holds(&sb, "abc", 3) && sb.alloc >= 3 + 1000 + 1, "grow(1000) keeps the text: alloc %zu",
       sb.alloc);
    char *before = sb.buf;
    size_t alloc = sb.alloc;
    for (int i = 0; i < 1000; i++)
        strbuf_addch(&sb, '.');
    ok(sb.buf == before && sb.alloc == alloc && sb.len == 1003,
       "1000 bytes fit after grow(1000): no reallocation");
    strbuf_release(&sb);
}

static void test_detach(void)
{
    struct strbuf sb = STRBUF_INIT;
    size_t len = 99;
    char *s = strbuf_detach(&sb, &len);
    ok(s && s != strbuf_slopbuf && s[0] == '\0' && len == 0, "detach of nothing gives \"\"");
    free(s);
    ok(sb.buf == strbuf_slopbuf && sb.len == 0 && sb.alloc == 0, "the strbuf is empty again");

    strbuf_addstr(&sb, "mine");
    s = strbuf_detach(&sb, &len);
    ok(strcmp(s, "mine") == 0 && len == 4, "detach hands the text over: %s", s);
    ok(sb.buf == strbuf_slopbuf && sb.len == 0 && sb.alloc == 0, "the strbuf is empty again");
    strbuf_addstr(&sb, "next");
    ok(holds(&sb, "next", 4) && s != sb.buf && strcmp(s, "mine") == 0,
       "reuse after detach leaves the detached text alone");
    free(s);
    s = strbuf_detach(&sb, NULL);
    ok(strcmp(s, "next") == 0, "detach with len NULL");
    free(s);

    strbuf_add(&sb, "a\0b", 3);
    s = strbuf_detach(&sb, &len);
    ok(len == 3 && memcmp(s, "a\0b", 4) == 0, "detach keeps embedded NULs, NUL-terminated");
    free(s);
}

static void test_alloc_grow(void)
{
    int *v = NULL;
    size_t n = 0, alloc = 0;
    for (int i = 0; i < 10000; i++) {
        ALLOC_GROW(v, n + 1, alloc);
        v[n++] = i * 3;
    }
    bool same = true;
    for (size_t i = 0; i < n; i++)
        same = same && v[i] == (int)i * 3;
    ok(same && n == 10000 && alloc >= n, "10000 appends through ALLOC_GROW: alloc %zu", alloc);
    int *before = v;
    size_t cap = alloc;
    ALLOC_GROW(v, n, alloc);
    ALLOC_GROW(v, 1, alloc);
    ok(v == before && alloc == cap, "ALLOC_GROW to a size it holds changes nothing");
    free(v);

    static const struct {
        size_t alloc, nr, want;
    } steps[] = {
        {0, 1, 24},      /* (0 + 16) * 3 / 2 */
        {24, 25, 60},    /* (24 + 16) * 3 / 2 */
        {60, 61, 114},   /* ×1.5 + 24 */
        {0, 100, 100},   /* a jump past the next step takes nr */
        {114, 500, 500}, /* likewise */
        {1000, 1001, 1524},
    };
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
        char *p = steps[i].alloc ? xmalloc(steps[i].alloc) : NULL;
        size_t a = steps[i].alloc;
        ALLOC_GROW(p, steps[i].nr, a);
        ok(a == steps[i].want, "ALLOC_GROW from %zu to hold %zu: %zu (want %zu)", steps[i].alloc,
           steps[i].nr, a, steps[i].want);
        free(p);
    }
}

/* true when `fn` run in a child process dies of SIGABRT. */
static bool aborts(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) /* the message is expected: keep the log clean */
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void grow_past_size_max(void)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "x");
    strbuf_grow(&sb, SIZE_MAX - 1);
}

static void alloc_grow_past_size_max(void)
{
    uint64_t *v = NULL;
    size_t alloc = 0;
    ALLOC_GROW(v, SIZE_MAX / 4, alloc);
    free(v);
}

static void test_overflow(void)
{
    ok(aborts(grow_past_size_max), "strbuf_grow aborts when len + extra + 1 overflows");
    ok(aborts(alloc_grow_past_size_max), "ALLOC_GROW aborts when nr * size overflows");
}

int main(void)
{
    test_init();
    test_appends();
    test_addf();
    test_large();
    test_grow();
    test_detach();
    test_alloc_grow();
    test_overflow();
    return done_testing();
}
