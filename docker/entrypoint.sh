#!/bin/sh
# mock3as-entrypoint: the image's ENTRYPOINT. Before the server starts, check that this user can
# write the database's directory (SQLite also creates -wal and -shm files beside it) and, when it
# cannot (a bind-mounted host directory keeps its host owner), say how to fix the mount instead of
# SQLite's bare error. Then exec mock3as with the same arguments, so that it is PID 1 and gets
# the stop signal itself.
set -eu

db=${MOCK3AS_DB:-mock3as.db}
prev=
for arg in "$@"; do
    case "$prev" in --db) db=$arg ;; esac
    case "$arg" in
    --help | --version | --check-health | --check-health=*) exec mock3as "$@" ;;
    --db=*) db=${arg#--db=} ;;
    esac
    prev=$arg
done

case "$db" in
:memory: | file:*) exec mock3as "$@" ;;
esac

dir=$(dirname -- "$db")
uid=$(id -u)
problem=
if [ ! -d "$dir" ]; then
    problem="$dir does not exist"
elif [ ! -w "$dir" ] || [ ! -x "$dir" ]; then
    problem="$dir is not writable by uid $uid (the user this container runs as)"
elif [ -e "$db" ] && { [ ! -r "$db" ] || [ ! -w "$db" ]; }; then
    problem="$db is not readable and writable by uid $uid (the user this container runs as)"
fi
if [ -n "$problem" ]; then
    cat >&2 <<MSG
mock3as: cannot use the database $db: $problem.
  The image runs as uid 10001. A bind-mounted host directory keeps its host owner, so either
  - mount a directory writable by uid 10001 (on the host: chown -R 10001 DIR), or
  - run as the directory's owner (docker run --user "\$(id -u):\$(id -g)" ...), or
  - use a named volume (-v mock3as-data:/data), which the engine creates owned by uid 10001.
MSG
    exit 1
fi
exec mock3as "$@"
