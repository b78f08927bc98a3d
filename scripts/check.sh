#!/usr/bin/env bash
# The full test run (what `make check` and CI do). Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)

bash scripts/install-deps.sh

# The npm readers first: the CLI tests under ctest (tests/cli/load_*interop*.sh) use them too.
if [ -f tests/interop/package.json ]; then
  echo "== npm ci (independent readers for the interop tests)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== static checks"
bash ci/check-layers.sh
bash ci/check-banned.sh
bash ci/check-storage.sh
bash ci/check-standalone.sh

echo "== sanitizer build (ASan+UBSan) and unit / CLI / fuzz-replay tests"
cmake -S . -B build-asan -DICE_SANITIZE=ON -DICE_TEST_HOOKS=ON -DCMAKE_BUILD_TYPE=Debug \
  >/dev/null
cmake --build build-asan -j"$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS"

# clang's UBSan flags what gcc's does not (pointer-overflow, e.g. an offset applied to
# a NULL pointer), so the unit and fuzz-replay tests also run under a clang build. The
# CLI tests are left to the gcc build above: they test the same library, and skipping
# them keeps the extra job to about a minute.
if command -v clang >/dev/null; then
  echo "== clang sanitizer build (ASan+UBSan incl. pointer-overflow): unit + fuzz-replay tests"
  CC=clang cmake -S . -B build-asan-clang -DICE_SANITIZE=ON -DICE_TEST_HOOKS=ON \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=pointer-overflow,nullability -fno-sanitize-recover=all" \
    >/dev/null
  cmake --build build-asan-clang -j"$JOBS"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan-clang --output-on-failure -j"$JOBS" -R '^(test_|fuzz_replay_)'
else
  echo "clang not found: the clang sanitizer job is required" >&2
  exit 1
fi

# The threaded code (memory budget, thread pool, the Parquet writer's encoding workers,
# the input read-ahead, the reader's column-parallel decoding, the partition router's
# parallel writers) under ThreadSanitizer: the threaded unit tests, and the CLI tests
# of --threads run with a TSan-built icestream (ctest hands each CLI test its build's
# binary as $ICESTREAM; a race report on stderr fails the test), so the job stays
# within a few minutes. Without test hooks (as a release build): kill points and fault
# injection are not what these tests exercise (cli_load_threads_faults runs its
# bad-page cases only).
echo "== ThreadSanitizer build: threaded unit tests and --threads CLI tests"
TSAN_TESTS="test_util_threads test_util_task_queue test_parquet_write_threads test_ops_input_prefetch test_parquet_read_threads"
TSAN_CLI_TESTS="cli_load_threads cli_load_merge_threads cli_load_threads_faults"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DICE_TEST_HOOKS=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=thread -O1 -g" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
  >/dev/null
# shellcheck disable=SC2086 # one target per word
cmake --build build-tsan -j"$JOBS" --target $TSAN_TESTS icestream_cli
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure \
  -R "^($(echo $TSAN_TESTS $TSAN_CLI_TESTS | tr ' ' '|'))\$"

echo "== release build (no test hooks)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DICE_TEST_HOOKS=OFF >/dev/null
cmake --build build -j"$JOBS"
bash ci/check-no-test-hooks.sh build

if [ -d tests/interop ] && [ -f tests/interop/package.json ]; then
  echo "== interop tests (independent readers from npm)"
  ICESTREAM="$PWD/build/icestream" bash tests/interop/run.sh
fi
echo "== all checks passed"
