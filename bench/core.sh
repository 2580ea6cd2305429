#!/usr/bin/env bash
# bench/core.sh: the serving core against a bare libmicrohttpd server (not a test).
# For each read route, mock3as (RS256 token, SQLite) and bench/bare.c (the same body from memory,
# no routing, no auth, no database) are run one after the other, ROUNDS times, with the same wrk
# load (-t1 -c32, the same Authorization header); the figure is the median over the rounds of
# the ratio of each mock3as run to the bare run next to it (this shared machine's speed drifts
# between rounds by more than the difference measured). Creates (a customer with a website) and
# a create/upgrade mix are measured against the bare server's answer to a POST. Targets
# (fast-core issue): reads >= 0.70, writes >= 0.20.
# usage: bench/core.sh [seconds per wrk run, default 3] [rounds, default 5] [customers, default 40000]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-3}
ROUNDS=${2:-5}
N=${3:-40000}
source bench/lib.sh

cc -O2 -Wall -o "$TMP/bare" bench/bare.c $(pkg-config --cflags --libs libmicrohttpd)

# rps NAME URL [wrk args]: requests per second of one wrk run (and its output in $OUT/NAME.txt)
rps() {
    local name=$1 url=$2
    shift 2
    wrk -t1 -c32 -d"${DURATION}s" --latency "$@" "$url" >"$OUT/core-$name.txt"
    awk '/Requests\/sec/ {print $2}' "$OUT/core-$name.txt"
}

# bare BODY_FILE: start the bare server on that body; sets BPID and BURL
bare() {
    "$TMP/bare" "$1" >"$TMP/bare.out" &
    BPID=$!
    for _ in $(seq 100); do
        BURL=$(cat "$TMP/bare.out")
        [ -n "$BURL" ] && return 0
        sleep 0.01
    done
    echo "bare server did not start" >&2
    exit 1
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

start "$TMP/core.db"
sed -e "s/@N@/$N/g" -e "s/@INTP@/$DEMO/g" -e "s/@NOW@/$(date +%s)/g" bench/seed.sql |
    sqlite3 "$TMP/core.db"
TOKEN=$(token)
AUTH="Authorization: Bearer $TOKEN"
PRO=$(curl -s -H "$AUTH" "$URL/v2/3as/packages" | node -e \
    'let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => console.log(
     JSON.parse(t).payload.find((p) => p.name === "Pro" && p.period === "monthly").id))')

declare -A MOCK BARE RATIO
# pair_ratios M B: the ratio of each round's mock3as run to the bare run next to it (the arrays
# named M and B), one a line: the machine's speed drifts between rounds, not within a pair
pair_ratios() {
    local -n mm=$1 bb=$2
    for i in "${!mm[@]}"; do awk -v a="${mm[$i]}" -v b="${bb[$i]}" 'BEGIN {print a / b}'; done
}
READS="website customer first packages"
path_of() {
    case $1 in
    website) echo "/v2/3as/websites/seedw-$((N / 2))" ;;
    customer) echo "/v2/3as/customers/seed-$((N / 2))" ;;
    first) echo "/v2/3as/customers?page=0&pageSize=10" ;;
    packages) echo "/v2/3as/packages" ;;
    esac
}
for k in $READS; do
    p=$(path_of $k)
    curl -s -H "$AUTH" "$URL$p" >"$TMP/$k.json"
    bare "$TMP/$k.json"
    m=() b=()
    for r in $(seq "$ROUNDS"); do
        b+=("$(rps "bare-$k-$r" "$BURL$p" -H "$AUTH")")
        m+=("$(rps "mock-$k-$r" "$URL$p" -H "$AUTH")")
    done
    kill $BPID
    wait $BPID 2>/dev/null || true
    BARE[$k]=$(printf '%s\n' "${b[@]}" | median)
    MOCK[$k]=$(printf '%s\n' "${m[@]}" | median)
    RATIO[$k]=$(pair_ratios m b | median)
done

# writes: the bare server answers the same POSTs with a created customer's body
curl -s -H "$AUTH" "$URL/v2/3as/customers/seed-1" >"$TMP/post.json"
bare "$TMP/post.json"
m=() x=() b=()
# what the creates write: bytes and write calls of the process (/proc/PID/io) per customer made
io() { awk '/^wchar/ {w = $2} /^syscw/ {c = $2} END {print w, c}' /proc/$PID/io; }
made() { sqlite3 "$TMP/core.db" "SELECT count(*) FROM customers WHERE intp_customer_id LIKE 'bcore%'"; }
WROTE=0 CALLS=0 MADE=0
for r in $(seq "$ROUNDS"); do
    b+=("$(TOKEN=$TOKEN RUN=bare$r rps "bare-create-$r" "$BURL" -s bench/post-customer.lua)")
    read -r w0 c0 < <(io)
    n0=$(made)
    m+=("$(TOKEN=$TOKEN RUN=core$r rps "mock-create-$r" "$URL" -s bench/post-customer.lua)")
    read -r w1 c1 < <(io)
    WROTE=$((WROTE + w1 - w0)) CALLS=$((CALLS + c1 - c0)) MADE=$((MADE + $(made) - n0))
    x+=("$(TOKEN=$TOKEN PRO=$PRO THREADS=1 START=$(((r - 1) * N / ROUNDS)) \
        rps "mock-upgrade-$r" "$URL" -s bench/upgrade.lua)")
done
kill $BPID
wait $BPID 2>/dev/null || true
BARE[create]=$(printf '%s\n' "${b[@]}" | median)
MOCK[create]=$(printf '%s\n' "${m[@]}" | median)
MOCK[upgrade]=$(printf '%s\n' "${x[@]}" | median)
BARE[upgrade]=${BARE[create]}
RATIO[create]=$(pair_ratios m b | median)
RATIO[upgrade]=$(pair_ratios x b | median)
RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
stop

{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?') vs bare libmicrohttpd, $(nproc) cores, $(date -u +%FT%TZ)"
    echo "wrk -t1 -c32 -d${DURATION}s, $ROUNDS rounds (r/s: medians; ratio: median of the rounds' ratios); $N customers with a website each"
    printf '%-40s %12s %12s %7s %7s\n' route "mock3as r/s" "bare r/s" ratio target
    for k in $READS create upgrade; do
        case $k in
        website) label="GET /v2/3as/websites/{id}" target=0.70 ;;
        customer) label="GET /v2/3as/customers/{id}" target=0.70 ;;
        first) label="GET /v2/3as/customers?page=0" target=0.70 ;;
        packages) label="GET /v2/3as/packages" target=0.70 ;;
        create) label="POST /v2/3as/customers (+website)" target=0.20 ;;
        upgrade) label="POST …/website-subscriptions/upgrade" target=0.20 ;;
        esac
        printf '%-40s %12s %12s %7s %7s\n' "$label" "${MOCK[$k]}" "${BARE[$k]}" \
            "$(awk -v r="${RATIO[$k]}" 'BEGIN {printf "%.2f", r}')" "$target"
    done
    awk -v w="$WROTE" -v c="$CALLS" -v n="$MADE" 'BEGIN {printf "a create (customer + website) writes %.1f KB in %.1f write calls, one of them the wake-up of its answer\n", w / n / 1024, c / n}'
    echo "mock3as RSS after the run: $((RSS / 1024)) MB"
} | tee "$OUT/core.txt"
