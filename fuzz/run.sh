#!/usr/bin/env bash
# Runs the libFuzzer targets built by `make fuzz-build` (build-fuzz/fuzz-TARGET):
#   fuzz/run.sh SECONDS [TARGET...]      each target for SECONDS, keeping what it finds in
#                                        build-fuzz/corpus/TARGET (reused by the next run)
#   fuzz/run.sh --smoke [TARGET...]      the short run of `make test`: 2 s each, from the
#                                        seeds only, nothing kept
# Before fuzzing, every input in fuzz/regressions/TARGET/ is replayed once (they are the
# crashes, leaks and timeouts found so far; each must now pass). Prints one line per
# target with executions and coverage, and ends with "N passed, N failed" (one test per
# regression input and one per fuzzing run). A crash's input is saved in
# build-fuzz/artifacts/TARGET/ and its report printed.
set -u
cd "$(dirname "$0")/.."

smoke=0
if [ "${1:-}" = --smoke ]; then
    smoke=1
    seconds=2
else
    seconds=${1:?usage: fuzz/run.sh SECONDS|--smoke [TARGET...]}
fi
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(wire connfile cell model abf csv)

# Limits that make a hang or a memory blow-up a finding rather than a stuck run.
FUZZ_OPTS=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Shows the sanitizer or libFuzzer report of a failed run (without "N passed" lookalikes).
report() {
    grep -vE '^#[0-9]+|^INFO:|^MERGE|^stat::' "$1" | tail -n 40 | sed 's/^/    /'
}

for t in "${targets[@]}"; do
    bin=build-fuzz/fuzz-$t
    if [ ! -x "$bin" ]; then
        echo "fuzz $t: $bin is missing (make fuzz-build)"
        failed=$((failed + 1))
        continue
    fi
    mkdir -p "build-fuzz/artifacts/$t"

    # The regression inputs, each run once.
    shopt -s nullglob
    regressions=(fuzz/regressions/"$t"/*)
    shopt -u nullglob
    for r in "${regressions[@]}"; do
        if "$bin" "${FUZZ_OPTS[@]}" "$r" >"$logs/replay" 2>&1; then
            passed=$((passed + 1))
        else
            echo "fuzz $t: regression $r FAILS again:"
            report "$logs/replay"
            failed=$((failed + 1))
        fi
    done

    # The fuzzing run: new inputs go to the first corpus directory, the seeds are read only.
    if [ $smoke = 1 ]; then
        corpus=$logs/corpus-$t
    else
        corpus=build-fuzz/corpus/$t
    fi
    mkdir -p "$corpus"
    start=$(date +%s%N)
    "$bin" "${FUZZ_OPTS[@]}" -max_total_time="$seconds" \
        -artifact_prefix="build-fuzz/artifacts/$t/" "$corpus" "fuzz/corpus/$t" >"$logs/$t" 2>&1
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    took=$((ms / 1000)).$((ms % 1000 / 100))
    log=$logs/$t
    execs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    rate=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
    units=$(echo "$last" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+')
    edges=$(grep -oE '\([0-9]+ inline 8-bit counters\)' "$log" | head -n 1 | grep -oE '^\([0-9]+' | tr -d '(')
    printf 'fuzz %-8s %5s s  %9s executions  %6s exec/s  cov %5s of %5s edges  ft %6s  corpus %s\n' \
        "$t" "$took" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${edges:-?}" "${ft:-?}" "${units:-?}"
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
    else
        echo "fuzz $t: FOUND A BUG (exit $rc); input saved in build-fuzz/artifacts/$t/:"
        report "$log"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
