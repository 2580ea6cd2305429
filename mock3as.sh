#!/usr/bin/env bash
# mock3as.sh: the two README commands.
#   ./mock3as.sh run [server flags]   install what is missing, build, serve 127.0.0.1:8080
#   ./mock3as.sh test                 install what is missing, build twice, run every test
# Debian packages come from deps/debian.txt (the single list also read by docker/Dockerfile).
set -euo pipefail
cd "$(dirname "$0")"

die() {
    echo "mock3as.sh: $*" >&2
    exit 1
}

# packages ROLE...: the package names of deps/debian.txt with one of the given roles, less those
# whose COMMAND (third column) is already installed.
packages() {
    local roles=" $* "
    while read -r name role cmd; do
        case "$name" in '' | '#'*) continue ;; esac
        [[ "$roles" == *" $role "* ]] || continue
        [ -n "$cmd" ] && command -v "$cmd" >/dev/null && continue
        echo "$name"
    done <deps/debian.txt
}

# ensure_packages ROLE...: apt-get install whatever of those roles is not installed yet.
ensure_packages() {
    local missing=() pkg
    for pkg in $(packages "$@"); do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing packages (${missing[*]}) and not root: run as root or install sudo"
        sudo=(sudo)
    fi
    echo "mock3as.sh: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# build DIR [meson setup args]: configure once, then compile.
build() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >&2
    fi
    meson compile -C "$dir" >&2
}

# glibc's per-thread cache of free chunks: 128 of a size instead of 7 (README, Operations:
# "Allocator"). The Docker image and bench/lib.sh set the same; a value of the user's wins.
MALLOC_TUNABLES=glibc.malloc.tcache_count=128

cmd_run() {
    ensure_packages build runtime
    build build --buildtype=release
    GLIBC_TUNABLES=${GLIBC_TUNABLES:-$MALLOC_TUNABLES} exec ./build/mock3as --db "${MOCK3AS_DB:-mock3as.db}" --fixtures "${MOCK3AS_FIXTURES:-fixtures/demo/}" "$@"
}

# npm_tools: the test suite's npm packages (tests/package-lock.json), installed once.
npm_tools() {
    if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules ]; then
        (cd tests && npm ci --no-audit --no-fund --loglevel=error) >&2
        touch tests/node_modules
    fi
}

cmd_test() {
    ensure_packages build runtime test
    npm_tools
    local failed=0
    build build-release --buildtype=release -Dwerror=true
    meson test -C build-release --print-errorlogs >&2 || failed=1
    # The ASan build also fuzzes (tests/fuzz, 20 s a target); a build-asan configured before the
    # fuzz option existed is reconfigured once to get it.
    if [ -f build-asan/build.ninja ] && ! meson configure build-asan | grep -E '^ +fuzz +true' >/dev/null; then
        meson setup --reconfigure build-asan -Dfuzz=true >&2
    fi
    CC=clang build build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true -Dfuzz=true
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        meson test -C build-asan --print-errorlogs >&2 || failed=1
    node tests/summarize.mjs build-release build-asan || failed=1
    return $failed
}

case "${1:-}" in
run)
    shift
    cmd_run "$@"
    ;;
test)
    shift
    cmd_test "$@"
    ;;
*)
    echo "usage: $0 run [server flags] | $0 test" >&2
    exit 2
    ;;
esac
