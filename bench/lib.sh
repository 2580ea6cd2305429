# bench/lib.sh: what the benchmark scripts share; sourced from the repository root.
# Sets OUT, TMP, DEMO; installs the bench packages of deps/debian.txt; builds $BUILD (default
# build/, release).

OUT=bench/out
mkdir -p "$OUT"
for tool in wrk sqlite3 curl; do
    command -v $tool >/dev/null && continue
    apt-get update -qq && apt-get install -y -qq $(awk '!/^#/ && ($2 == "bench" || $1 == "sqlite3") {print $1}' deps/debian.txt) >/dev/null
    break
done
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release >/dev/null
meson compile -C "$BUILD" >/dev/null
TMP=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
DEMO=$(sed -n 's/.*"id": "\([^"]*\)".*/\1/p' fixtures/intps.json | head -1)

# start DB [FLAGS...]: launch the server on a free port with DB (and FLAGS), wait for its URL;
# sets PID and URL. START_POLL: seconds between two looks for the URL (default 0.01); each look
# runs grep, which takes CPU from a start-up being timed (bench/run.sh looks every 0.1 s, and
# only after the first pause).
start() {
    local poll=${START_POLL:-0.01} tries
    tries=$(awk -v p="$poll" 'BEGIN {print int(2 / p)}')
    # as ./mock3as.sh run and the Docker image start it (README, Operations: "Allocator")
    GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.tcache_count=128} "$BUILD/mock3as" --port 0 --db "$1" --fixtures fixtures/ --log-level error "${@:2}" >"$TMP/out" 2>"$TMP/err" &
    PID=$!
    for ((i = 0; i < tries; i++)); do
        sleep "$poll"
        URL=$(grep -o 'http://[0-9.:]*' "$TMP/out" | head -1 || true)
        [ -n "$URL" ] && return 0
    done
    echo "server did not start" >&2
    cat "$TMP/err" >&2
    exit 1
}

# stop: SIGTERM the server started last and wait for it.
stop() {
    kill -TERM "$PID" && wait "$PID"
    PID=
}

# token: a partner token for the demo partner, valid one hour.
token() {
    curl -s "$URL/__admin/intps/$DEMO/tokens" --json '{"ttlSeconds":3600}' |
        sed 's/.*"token":"\([^"]*\)".*/\1/'
}
