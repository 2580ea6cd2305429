#!/usr/bin/env bash
# bench/journal.sh: what the request journal costs the read path (not a test). Two servers on
# one seeded database, one with the journal (the default) and one with --no-journal, take turns
# under the same wrk load (-t1 -c32, GET /v2/3as/websites/{id} with one token: answered from the
# answer cache, where the journal's share is largest), ROUNDS times each; prints the median
# req/s of both and the median of the rounds' on/off ratios. Target (issue "The test tool around the emulator"): >= 0.95.
# usage: bench/journal.sh [seconds per wrk run, default 3] [rounds, default 9]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-3}
ROUNDS=${2:-9}
source bench/lib.sh

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
rps() { wrk -t1 -c32 -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }

start "$TMP/journal.db"
ON_PID=$PID ON_URL=$URL
sed -e "s/@N@/1000/g" -e "s/@INTP@/$DEMO/g" -e "s/@NOW@/$(date +%s)/g" bench/seed.sql |
    sqlite3 "$TMP/journal.db"
TOKEN=$(token)
start "$TMP/journal.db" --no-journal
OFF_PID=$PID OFF_URL=$URL
PID="$ON_PID $OFF_PID"
trap 'kill $ON_PID $OFF_PID 2>/dev/null; rm -rf "$TMP"' EXIT
P=/v2/3as/websites/seedw-500
on=() off=()
for _ in $(seq "$ROUNDS"); do
    on+=("$(rps -H "Authorization: Bearer $TOKEN" "$ON_URL$P")")
    off+=("$(rps -H "Authorization: Bearer $TOKEN" "$OFF_URL$P")")
done
ON=$(printf '%s\n' "${on[@]}" | median)
OFF=$(printf '%s\n' "${off[@]}" | median)
# the figure: the median of each round's on/off ratio (the machine's speed drifts between rounds)
RATIO=$(for i in "${!on[@]}"; do awk -v a="${on[$i]}" -v b="${off[$i]}" 'BEGIN {print a / b}'; done | median)
{
    echo "mock3as $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%FT%TZ)"
    echo "GET /v2/3as/websites/{id}, wrk -t1 -c32 -d${DURATION}s, median of $ROUNDS rounds each"
    echo "journal on:  $ON req/s (rounds: ${on[*]})"
    echo "journal off: $OFF req/s (rounds: ${off[*]})"
    awk -v r="$RATIO" 'BEGIN {printf "ratio on/off (median of the rounds'"'"' ratios): %.3f (target >= 0.95)\n", r}'
} | tee "$OUT/journal.txt"
