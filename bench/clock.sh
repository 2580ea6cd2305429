#!/usr/bin/env bash
# bench/clock.sh: the clock-move benchmark (not a test). The time (curl's time_total) of
# POST /__admin/intps/{id}/clock {"advanceBy": P1Y} and {"advanceBy": P100Y} over N monthly
# subscriptions (default 10,000; each renews every month), the median of RUNS runs (default 5),
# each run on a fresh copy of one seeded database.
# usage: bench/clock.sh [subscriptions, default 10000] [runs, default 5]
#        BUILD=dir bench/clock.sh  (another build directory, e.g. to compare two builds)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
source bench/lib.sh

# the seeded database: the schema and fixtures by the server, N customers by sqlite3
start "$TMP/seeded.db"
sed -e "s/@N@/$N/g" -e "s/@INTP@/$DEMO/g" -e "s/@NOW@/$(date +%s)/g" bench/seed.sql |
    sqlite3 "$TMP/seeded.db"
stop
sqlite3 "$TMP/seeded.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# move BY: one run on a fresh copy; prints "milliseconds transitionsTotal"
move() {
    rm -f "$TMP/run.db" "$TMP/run.db-wal" "$TMP/run.db-shm"
    cp "$TMP/seeded.db" "$TMP/run.db"
    start "$TMP/run.db"
    # one request first, as a test would read the clock before moving it: the move then runs
    # where a light load runs (src/http/workers.c, wake_one), not on whichever connection the
    # start-up happened to leave warm
    curl -s -o /dev/null "$URL/__admin/intps/$DEMO/clock"
    local s
    s=$(curl -s -o "$TMP/clock.json" -w '%{time_total}' "$URL/__admin/intps/$DEMO/clock" \
        --json "{\"advanceBy\":\"$1\"}")
    stop
    awk -v s="$s" -v t="$(sed 's/.*"transitionsTotal":\([0-9]*\).*/\1/' "$TMP/clock.json")" \
        'BEGIN {printf "%.1f %d\n", s * 1000, t}'
}

# median of the first column of stdin, and the runs in order
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?') ($BUILD) on $(nproc) cores, $(date -u +%FT%TZ)"
    for by in P1Y P100Y; do
        runs=$(for _ in $(seq "$RUNS"); do move "$by"; done)
        printf '  clock advanceBy %-5s over %d subscriptions: median %s ms of %d runs (%s ms; %s transitions)\n' \
            "$by" "$N" "$(echo "$runs" | median)" "$RUNS" "$(echo "$runs" | awk '{print $1}' | paste -sd' ')" \
            "$(echo "$runs" | awk 'NR == 1 {print $2}')"
    done
} | tee "$OUT/clock.txt"
