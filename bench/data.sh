#!/usr/bin/env bash
# bench/data.sh: the data API benchmark (not a test): session analytics by date over a 90-day
# range (a Basic website, about 90 sessions a day) as a ratio to GET /__admin/health in the
# same run. usage: bench/data.sh [seconds per wrk run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5}
source bench/lib.sh

start "$TMP/data.db"
TOKEN=$(token)
AUTH="Authorization: Bearer $TOKEN"
BASIC=$(curl -s "$URL/v2/3as/packages" -H "$AUTH" |
    grep -o '"id":"[^"]*","intpId":"[^"]*","name":"Basic","price":12.99' | cut -d'"' -f4)
curl -s "$URL/v2/3as/customers" -H "$AUTH" --json \
    "{\"intpCustomerId\":\"bench\",\"email\":\"bench@example.com\",\"website\":{\"intpWebsiteId\":\"bench-w\",\"domain\":\"bench.example.com\",\"packageId\":\"$BASIC\"}}" >/dev/null
WEBSITE=$(curl -s "$URL/v2/3as/websites/bench-w" -H "$AUTH" | sed 's/{"payload":{"id":"\([^"]*\)".*/\1/')
KEY=$(curl -s "$URL/v2/3as/websites/bench-w/api-keys" -H "$AUTH" --json '{"name":"bench"}' |
    sed 's/.*"apiKey":"\([^"]*\)".*/\1/')
END=$(date -u +%F)
START=$(date -u -d '89 days ago' +%F)
BODY="{\"metrics\":[\"sessionCount\",\"visitorCount\",\"bounceRate\",\"averageVisitDuration\"],\"dimensions\":[\"date\"],\"pagination\":{\"pageSize\":100},\"dateRange\":{\"start\":\"${START}T00:00:00Z\",\"end\":\"${END}T23:59:59Z\"}}"
wrk -t2 -c16 -d"${DURATION}s" "$URL/__admin/health" >"$OUT/data-health.txt"
PATH_="/v2/websites/$WEBSITE/analytics/sessions" BODY=$BODY KEY=$KEY \
    wrk -t2 -c16 -d"${DURATION}s" -s bench/analytics.lua "$URL" >"$OUT/data-analytics.txt"
stop

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?') on $(nproc) cores, $(date -u +%FT%TZ)"
    printf '  GET /__admin/health                     %10s req/s (baseline)\n' "$(rps "$OUT/data-health.txt")"
    printf '  POST analytics/sessions, 90 days by date %9s req/s (non-2xx: %s)\n' \
        "$(rps "$OUT/data-analytics.txt")" "$(awk '/Non-2xx/ {print $4}' "$OUT/data-analytics.txt")"
    awk -v a="$(rps "$OUT/data-analytics.txt")" -v h="$(rps "$OUT/data-health.txt")" \
        'BEGIN {printf "  ratio analytics / health               %10.4f\n", a / h}'
} | tee "$OUT/data.txt"
