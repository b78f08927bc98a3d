#!/usr/bin/env bash
# A release build carries no test-only hook (CMake option ICE_TEST_HOOKS, off by default):
# neither the kill-point variable's name (ICESTREAM_TEST_*) nor the allocation fault
# injection is in the binary or the libraries, and ICESTREAM_TEST_KILL_AT does nothing. Usage: ci/check-no-test-hooks.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/icestream
[ -x "$bin" ] || { echo "check-no-test-hooks: $bin not built" >&2; exit 1; }
status=0
for f in "$bin" "$build"/libice_*.a; do
  n=$(strings "$f" | grep -c ICESTREAM_TEST || true)
  if [ "$n" -ne 0 ]; then
    echo "check-no-test-hooks: $f contains ICESTREAM_TEST ($n strings)"
    status=1
  fi
  # grep -c, not -q: with pipefail an early exit of grep would fail the pipeline.
  if [ "$(nm "$f" 2>/dev/null | grep -c 'ice_alloc_fail_after' || true)" -ne 0 ]; then
    echo "check-no-test-hooks: $f defines ice_alloc_fail_after"
    status=1
  fi
done
# and the variable does nothing: a load asked to kill itself at every stage completes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
input=tests/data/parquet-testing/data/alltypes_plain.parquet
for stage in validated data-file data-written metadata-written committed; do
  if ! ICESTREAM_TEST_KILL_AT=$stage "$bin" load --warehouse "$tmp/wh" db.t "$input" \
      >"$tmp/out" 2>&1; then
    echo "check-no-test-hooks: load with ICESTREAM_TEST_KILL_AT=$stage failed: $(head -c 300 "$tmp/out")"
    status=1
  fi
done
[ $status -eq 0 ] && echo "check-no-test-hooks: ok ($bin and $(ls "$build"/libice_*.a | wc -l) libraries)"
exit $status
