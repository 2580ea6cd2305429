#!/usr/bin/env bash
# tests/docker/image.sh: docker/Dockerfile for real, where podman can run containers. It builds
# the image, runs it (a named volume on /data, a random host port on 127.0.0.1, an admin token),
# waits for its HEALTHCHECK, checks the user (uid 10001) and the start-up log, runs
# scenario.mjs (mint a token, create a customer, log in with an API key, open the dashboard),
# stops it (exit 0 on SIGTERM), starts it again (the data kept in /data), stops it, and finally
# starts the image on a root-owned bind mount, which must be refused with the uid 10001 advice.
#
# Where it cannot run it prints "SKIP: <reason>" and exits 77 (meson's skip code); it never
# passes silently. Needs podman (deps/debian.txt role container, not installed by
# ./mock3as.sh test: a cold run costs minutes). Without a registry the base image
# debian:bookworm-slim is made with mmdebstrap from the Debian mirror.
#
# It keeps its own podman store (MOCK3AS_PODMAN_STORE, default ~/.cache/mock3as/podman), so the
# bookworm base it may make never shadows a real one in the user's store, and a second run reuses
# the cached layers. Every podman call runs under `timeout`.
# Timings seen on a 2-core sandbox: base image 2 min, first build 4.5 min, the checks 30 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*"
    exit 1
}
ok() { echo "ok - $*"; }

command -v podman >/dev/null || skip "podman is not installed (apt-get install podman, see deps/debian.txt role container)"
command -v node >/dev/null || fail "node is needed for scenario.mjs"

store=${MOCK3AS_PODMAN_STORE:-${XDG_CACHE_HOME:-$HOME/.cache}/mock3as/podman}
run_dir=${TMPDIR:-/tmp}/mock3as-podman-$(id -u)
mkdir -p "$store" "$run_dir"
P=(podman --root "$store/root" --runroot "$run_dir/run" --tmpdir "$run_dir/tmp")
R=() # per-container options (ulimits), for build and run alike
BASE=docker.io/library/debian:bookworm-slim
IMAGE=localhost/mock3as:test
TOKEN=image-test-admin-$$-$RANDOM
NAME=mock3as-image-test-$$
VOLUME=mock3as-image-test-$$
work=$(mktemp -d)

cleanup() {
    timeout 60 "${P[@]}" rm -f -t 0 "$NAME" "$NAME-bind" >/dev/null 2>&1 || true
    timeout 60 "${P[@]}" volume rm -f "$VOLUME" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # so that a meson timeout still cleans up

# --- can podman run a container here? A probe root file system of /bin/true and its libraries.
probe=$work/probe
mkdir -p "$probe/bin"
cp -L /bin/true "$probe/bin/true"
for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$probe$(dirname "$lib")"
    cp -L "$lib" "$probe$lib"
done
try_run() { timeout 60 "${P[@]}" "$@" run --rm "${R[@]}" --network none --rootfs "$probe" /bin/true >"$work/probe.log" 2>&1; }
# Some sandboxes refuse the rlimits podman asks for by default (no CAP_SYS_RESOURCE), and crun
# refuses a hybrid cgroup v1/v2 layout that runc accepts: try those in turn.
if try_run; then
    how="podman defaults"
else
    R=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
    if try_run; then
        how="lower rlimits"
    elif command -v runc >/dev/null && try_run --runtime runc; then
        P+=(--runtime runc)
        how="runc, lower rlimits"
    else
        skip "podman cannot run a container here: $(grep -m1 -i error "$work/probe.log" || tail -1 "$work/probe.log")"
    fi
fi
ok "podman $(podman --version | awk '{print $3}') runs containers here ($how; store $store)"

# --- the base image: local, else pulled, else made with mmdebstrap
if ! timeout 60 "${P[@]}" image exists "$BASE"; then
    if timeout 180 "${P[@]}" pull -q "$BASE" >"$work/pull.log" 2>&1; then
        ok "pulled $BASE"
    elif command -v mmdebstrap >/dev/null; then
        echo "# no registry ($(grep -m1 -i error "$work/pull.log" || true)); making $BASE with mmdebstrap"
        timeout 900 mmdebstrap --quiet --variant=apt --format=tar bookworm "$work/base.tar" \
            "deb http://deb.debian.org/debian bookworm main" \
            "deb http://deb.debian.org/debian bookworm-updates main" \
            "deb http://deb.debian.org/debian-security bookworm-security main" >"$work/mmdebstrap.log" 2>&1 ||
            skip "no $BASE: no registry, and mmdebstrap failed: $(tail -1 "$work/mmdebstrap.log")"
        timeout 300 "${P[@]}" import -q "$work/base.tar" "$BASE" >/dev/null || fail "podman import of the base failed"
        rm -f "$work/base.tar"
        ok "made $BASE with mmdebstrap"
    else
        skip "no $BASE: the registry is unreachable ($(grep -m1 -i error "$work/pull.log" || true)) and mmdebstrap is not installed (deps/debian.txt role container)"
    fi
fi

# --- build (--format docker keeps the HEALTHCHECK)
start=$SECONDS
if ! timeout 1500 "${P[@]}" build --format docker "${R[@]}" -f docker/Dockerfile -t "$IMAGE" . >"$work/build.log" 2>&1; then
    tail -40 "$work/build.log"
    fail "podman build -f docker/Dockerfile failed"
fi
ok "built $IMAGE in $((SECONDS - start)) s"

# wait_healthy: run the image's HEALTHCHECK until it passes (podman runs no health timers
# without systemd), at most 30 s; fail with the log when the container exits or never passes.
wait_healthy() {
    local deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ "$(timeout 10 "${P[@]}" inspect -f '{{.State.Running}}' "$NAME")" != true ]; then
            timeout 30 "${P[@]}" logs "$NAME" 2>&1 | tail -20
            fail "the container stopped before it was healthy"
        fi
        timeout 10 "${P[@]}" healthcheck run "$NAME" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    timeout 30 "${P[@]}" logs "$NAME" 2>&1 | tail -20
    fail "not healthy within 30 s"
}
base_url() { echo "http://127.0.0.1:$(timeout 30 "${P[@]}" port "$NAME" 8080/tcp | head -1 | sed 's/.*://')"; }
# stop_clean: SIGTERM, the server must finish and exit 0 within 15 s
stop_clean() {
    timeout 60 "${P[@]}" stop -t 15 "$NAME" >/dev/null 2>"$work/stop.log" || fail "podman stop: $(cat "$work/stop.log")"
    local code
    code=$(timeout 30 "${P[@]}" inspect -f '{{.State.ExitCode}}' "$NAME")
    [ "$code" = 0 ] || fail "the server exited $code on SIGTERM"
}

# --- run: named volume, random host port, the admin token from the environment
timeout 60 "${P[@]}" run -d --name "$NAME" "${R[@]}" -p 127.0.0.1::8080 \
    -e MOCK3AS_ADMIN_TOKEN="$TOKEN" -v "$VOLUME:/data" "$IMAGE" >/dev/null 2>"$work/run.log" ||
    fail "podman run: $(cat "$work/run.log")"
start=$SECONDS
wait_healthy
ok "healthy $((SECONDS - start)) s after run, by the image's HEALTHCHECK"

[ "$(timeout 30 "${P[@]}" exec "$NAME" id -u)" = 10001 ] || fail "the server does not run as uid 10001"
[ "$(timeout 30 "${P[@]}" exec "$NAME" stat -c %u /data)" = 10001 ] || fail "the named volume on /data is not owned by uid 10001"
ok "runs as uid 10001; the named volume on /data is its own"

URL=$(base_url)
timeout 120 node tests/docker/scenario.mjs first "$URL" "$TOKEN" || fail "scenario.mjs first against $URL"

logs=$(timeout 30 "${P[@]}" logs "$NAME" 2>&1)
grep -q '^listening on http://localhost:8080$' <<<"$logs" || fail "the banner does not say the public URL: $(head -3 <<<"$logs")"
ok "the banner says http://localhost:8080 (MOCK3AS_PUBLIC_URL of the image)"
if grep -qF "$TOKEN" <<<"$logs"; then
    fail "the container log shows the admin token: $(grep -F "$TOKEN" <<<"$logs" | head -1 | sed "s/$TOKEN/<the token>/")"
fi
ok "the container log does not show the admin token"

stop_clean
ok "stopped: exit 0 on SIGTERM"
timeout 60 "${P[@]}" start "$NAME" >/dev/null 2>"$work/run.log" || fail "podman start: $(cat "$work/run.log")"
wait_healthy
timeout 60 node tests/docker/scenario.mjs again "$(base_url)" "$TOKEN" || fail "scenario.mjs again"
stop_clean
ok "restarted on the same volume, data kept, stopped again"

# --- a bind mount the container's user cannot write: refused, saying how to mount
bind=$work/data-owned-by-root
mkdir "$bind"
chmod 755 "$bind"
set +e
out=$(timeout 60 "${P[@]}" run --rm --name "$NAME-bind" "${R[@]}" -e MOCK3AS_ADMIN_TOKEN="$TOKEN" -v "$bind:/data" "$IMAGE" 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "a root-owned /data: exit $code, expected 1: $out"
grep -q 'chown -R 10001' <<<"$out" || fail "a root-owned /data: no advice: $out"
ok "a root-owned bind mount on /data is refused with the uid 10001 advice"
echo "# all passed"
