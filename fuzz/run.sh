#!/usr/bin/env bash
# Usage: bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds every fuzz target once (cargo-fuzz's default: optimised, with debug assertions,
# overflow checks and AddressSanitizer), seeds fuzz/corpus/ from the project's fixtures if a
# target has no corpus yet, then runs the targets one after another for SECONDS_PER_TARGET
# seconds each (default 120; all targets unless some are named). Raw libFuzzer output goes to
# fuzz/logs/<target>.log, crashing inputs to fuzz/artifacts/<target>/. Prints a Markdown
# table (also written to fuzz/logs/summary.md) and exits 1 if any target crashed.
set -uo pipefail

fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz")
all=(android plist_xml plist_binary xcprivacy entitlements extension expo markdown html text config word_diff)

seconds=${1:-120}
[ $# -gt 0 ] && shift
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
    if [[ " ${all[*]} " != *" $t "* ]]; then
        echo "unknown target \`$t\`; targets: ${all[*]}" >&2
        exit 2
    fi
done

triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
echo "== building fuzz targets (cargo +nightly fuzz build)" >&2
(cd "$root" && cargo +nightly fuzz build --target "$triple") || exit 2
bin="$fuzz/target/$triple/release"

for t in "${targets[@]}"; do
    if [ -z "$(ls -A "$fuzz/corpus/$t" 2>/dev/null)" ]; then
        echo "== seeding fuzz/corpus/ (bash fuzz/seed.sh)" >&2
        bash "$fuzz/seed.sh" >&2 || exit 2
        break
    fi
done

mkdir -p "$fuzz/logs"
summary="$fuzz/logs/summary.md"
{
    echo "| target | seconds | executions | corpus size | crashes |"
    echo "|---|---:|---:|---:|---:|"
} > "$summary"
failed=0
for t in "${targets[@]}"; do
    mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
    log="$fuzz/logs/$t.log"
    echo "== $t: ${seconds}s (log: fuzz/logs/$t.log)" >&2
    start=$(date +%s)
    "$bin/$t" "$fuzz/corpus/$t" \
        -artifact_prefix="$fuzz/artifacts/$t/" \
        -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -max_len=262144 \
        -print_final_stats=1 > "$log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    size=$(find "$fuzz/corpus/$t" -type f | wc -l)
    # slow-unit-* files are reports, not failures.
    crashes=$(find "$fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
    if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
        failed=1
        [ "$crashes" -eq 0 ] && crashes="0 (exit $rc)"
    fi
    echo "| $t | $elapsed | ${execs:-?} | $size | $crashes |" >> "$summary"
done

cat "$summary"
if [ "$failed" -ne 0 ]; then
    echo
    echo "Crashes (reproduce with: fuzz/target/$triple/release/<target> <file>):"
    for t in "${targets[@]}"; do
        find "$fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) |
            sed "s|^$root/|  |"
        { grep -m 1 -A 1 'panicked at' "$fuzz/logs/$t.log"; grep -m 1 '^SUMMARY' "$fuzz/logs/$t.log"; } 2>/dev/null |
            sed "s/^/    $t: /"
    done
    exit 1
fi
