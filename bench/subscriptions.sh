#!/usr/bin/env bash
# bench/subscriptions.sh: the subscription benchmarks (not a test), in one run on this machine:
#   - req/s of POST /v3/3as/website-subscriptions/upgrade as a ratio to GET /__admin/health in
#     the same run (each request upgrades another seeded website, Basic -> Pro, with proration);
#   - the time of POST /__admin/intps/{id}/clock {"advanceBy":"P1Y"} over N subscriptions
#     (default 10,000), every one of them renewing monthly: 12 transitions each.
# usage: bench/subscriptions.sh [subscriptions, default 10000] [upgrade seconds, default 1; 40,000
#        websites are seeded for it, so "non-200 answers" must stay 0]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
SECONDS_UPGRADE=${2:-1}
source bench/lib.sh

# seed DB N: N customers with a website on Basic, for the demo partner
seed() { sed -e "s/@N@/$2/g" -e "s/@INTP@/$DEMO/g" -e "s/@NOW@/$(date +%s)/g" bench/seed.sql | sqlite3 "$1"; }

# upgrades: enough seeded websites that every request upgrades a fresh one
start "$TMP/upgrade.db"
seed "$TMP/upgrade.db" 40000
TOKEN=$(token)
PRO=$(curl -s "$URL/v2/3as/packages" -H "Authorization: Bearer $TOKEN" |
    grep -o '"id":"[^"]*","intpId":"[^"]*","name":"Pro","price":[0-9.]*,"currency":"EUR","period":"monthly"' |
    sed 's/"id":"\([^"]*\)".*/\1/')
wrk -t2 -c16 -d"${SECONDS_UPGRADE}s" "$URL/__admin/health" >"$OUT/sub-health.txt"
TOKEN=$TOKEN PRO=$PRO THREADS=2 wrk -t2 -c16 -d"${SECONDS_UPGRADE}s" -s bench/upgrade.lua \
    "$URL" >"$OUT/sub-upgrade.txt"
stop

# the clock: one year over N monthly subscriptions
start "$TMP/clock.db"
seed "$TMP/clock.db" "$N"
CLOCK_JSON=$(curl -s -o "$TMP/clock.json" -w '%{time_total}' "$URL/__admin/intps/$DEMO/clock" \
    --json '{"advanceBy":"P1Y"}')
TOTAL=$(sed 's/.*"transitionsTotal":\([0-9]*\).*/\1/' "$TMP/clock.json")
stop

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?') on $(nproc) cores, $(date -u +%FT%TZ)"
    printf '  GET /__admin/health                       %10s req/s (baseline)\n' "$(rps "$OUT/sub-health.txt")"
    printf '  POST /v3/3as/website-subscriptions/upgrade %9s req/s (%s)\n' "$(rps "$OUT/sub-upgrade.txt")" \
        "$(grep 'non-200' "$OUT/sub-upgrade.txt")"
    awk -v a="$(rps "$OUT/sub-upgrade.txt")" -v h="$(rps "$OUT/sub-health.txt")" \
        'BEGIN {printf "  ratio upgrade / health                    %10.2f\n", a / h}'
    awk -v s="$CLOCK_JSON" -v n="$N" -v t="$TOTAL" \
        'BEGIN {printf "  clock advance P1Y over %d subscriptions:  %.0f ms (%d transitions; target < 100 ms)\n", n, s * 1000, t}'
} | tee "$OUT/subscriptions.txt"
