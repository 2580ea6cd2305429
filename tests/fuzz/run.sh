#!/bin/sh
# Run one libFuzzer target for a bounded time as one TAP case (see meson.build here):
#   run.sh NAME FUZZER WORKDIR CORPUS [libFuzzer flags...]
# New inputs go to WORKDIR/new, emptied first: never into the committed CORPUS, which is read
# second. Crash, leak and timeout inputs are saved as WORKDIR/crash-*, leak-*, timeout-*. Fails
# on a non-zero exit or any sanitizer report in the log (WORKDIR/log).
set -u
name=$1 fuzzer=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") work=$3 corpus=$4
shift 4
rm -rf "$work/new"
mkdir -p "$work/new"
log=$work/log
"$fuzzer" -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/new" "$corpus" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
seeds=$(find "$corpus" -type f | wc -l)
found=$(find "$work/new" -type f | wc -l)
echo "1..1"
if [ "$rc" -eq 0 ] && ! grep -a -q -e '^==[0-9]*==ERROR' -e 'runtime error:' -e '^SUMMARY: ' "$log"; then
    echo "ok 1 - $name: ${runs:-?} runs, ${speed:-?} exec/s, $seeds seeds, $found new inputs"
    exit 0
fi
grep -a -v -e '^#[0-9]' -e '^INFO: ' "$log" >&2
input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
echo "not ok 1 - $name: exit $rc, reproduce with: $fuzzer ${input:-(no input saved: see $log)}"
exit 1
