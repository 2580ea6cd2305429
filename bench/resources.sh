#!/usr/bin/env bash
# bench/resources.sh: the resources benchmarks (not a test). In one run on this machine:
#   - req/s of GET /v2/3as/websites/{id} and POST /v2/3as/customers (with a website), each as a
#     ratio to GET /__admin/health measured in the same run;
#   - p50 latency of those two routes and of GET /v2/3as/customers (first page and the middle
#     page) with 100 and with
#     100,000 customers (each with a website) in the database.
# usage: bench/resources.sh [seconds per wrk run, default 5] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5}
CONNS=${2:-16}
source bench/lib.sh

# run NAME URL [wrk args]: wrk with latency percentiles into $OUT/NAME.txt
run() {
    local name=$1 url=$2
    shift 2
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url" >"$OUT/$name.txt"
}
rps() { awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt"; }
p50() { awk '$1 == "50%" {print $2}' "$OUT/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

declare -A R
for n in 100 100000; do
    start "$TMP/bench-$n.db"
    sed -e "s/@N@/$n/g" -e "s/@INTP@/$DEMO/g" -e "s/@NOW@/$(date +%s)/g" bench/seed.sql |
        sqlite3 "$TMP/bench-$n.db"
    TOKEN=$(token)
    AUTH="Authorization: Bearer $TOKEN"
    run "health-$n" "$URL/__admin/health"
    run "website-$n" "$URL/v2/3as/websites/seedw-$((n / 2))" -H "$AUTH"
    run "first-$n" "$URL/v2/3as/customers?page=0&pageSize=10" -H "$AUTH"
    run "list-$n" "$URL/v2/3as/customers?page=$((n / 20))&pageSize=10" -H "$AUTH"
    TOKEN=$TOKEN RUN=$n run "create-$n" "$URL" -s bench/post-customer.lua
    for k in health website first list create; do
        R[$k-$n-rps]=$(rps "$k-$n")
        R[$k-$n-p50]=$(p50 "$k-$n")
    done
    stop
done

{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?') on $(nproc) cores, $(date -u +%FT%TZ)"
    echo "wrk -t2 -c$CONNS -d${DURATION}s; each database seeded with N customers, each with a website"
    printf '%-44s %12s %12s %10s %10s\n' route "req/s N=100" "req/s N=100k" "p50 N=100" "p50 N=100k"
    for k in health website first list create; do
        case $k in
        health) label="GET /__admin/health (baseline)" ;;
        website) label="GET /v2/3as/websites/{id}" ;;
        first) label="GET /v2/3as/customers?page=0" ;;
        list) label="GET /v2/3as/customers?page=N/20 (mid-list)" ;;
        create) label="POST /v2/3as/customers (+website)" ;;
        esac
        printf '%-44s %12s %12s %10s %10s\n' "$label" "${R[$k-100-rps]}" "${R[$k-100000-rps]}" \
            "${R[$k-100-p50]}" "${R[$k-100000-p50]}"
    done
    echo "ratios to health in the same run (N=100 / N=100k):"
    for k in website first list create; do
        echo "  $k: $(ratio "${R[$k-100-rps]}" "${R[health-100-rps]}") / $(ratio "${R[$k-100000-rps]}" "${R[health-100000-rps]}")"
    done
} | tee "$OUT/resources.txt"
