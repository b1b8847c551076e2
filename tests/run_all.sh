#!/usr/bin/env bash
# Runs every test suite and ends with one line the CI reads: "N passed, N failed".
# Suites: C unit tests, the same under ASan+UBSan (beside the next two), the real-client
# Python suites, then a 2-second smoke run of every libFuzzer target with its regression
# inputs (fuzz/run.sh).
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0

# Adds the "N passed, N failed" counts found in a suite's output to the totals.
count() {
    local out=$1 p f e
    p=$(grep -oE '[0-9]+ passed' "$out" | tail -n 1 | grep -oE '[0-9]+' || true)
    f=$(grep -oE '[0-9]+ failed' "$out" | tail -n 1 | grep -oE '[0-9]+' || true)
    e=$(grep -oE '[0-9]+ errors?' "$out" | tail -n 1 | grep -oE '[0-9]+' || true)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
}

# Counts a finished suite from its output file and exit code.
settle() {
    local out=$1 rc=$2
    count "$out"
    if [ "$rc" -ne 0 ]; then
        status=1
        # A suite that died without reporting its own failures still counts as one.
        grep -qE '[1-9][0-9]* (failed|errors?)' "$out" || failed=$((failed + 1))
    fi
    rm -f "$out"
}

run_suite() {
    local name=$1; shift
    local out
    out=$(mktemp)
    echo "=== $name"
    "$@" 2>&1 | tee "$out"
    settle "$out" "${PIPESTATUS[0]}"
}

# The sanitizer run is single-threaded and the client tests leave a core mostly idle, so
# the two run side by side; the sanitizer's output is shown when both are done.
asan_out=$(mktemp)
asan_rc=$(mktemp)
( env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      build-asan/unit-tests > "$asan_out" 2>&1; echo $? > "$asan_rc" ) &
asan_pid=$!

run_suite "unit tests" build/unit-tests
run_suite "Jupyter client tests" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
    --durations=15 tests/python
wait "$asan_pid"
echo "=== unit tests (ASan+UBSan)"
cat "$asan_out"
settle "$asan_out" "$(cat "$asan_rc" 2>/dev/null || echo 1)"
rm -f "$asan_rc"
run_suite "fuzz smoke (libFuzzer)" fuzz/run.sh --smoke

echo "$passed passed, $failed failed"
exit $status
