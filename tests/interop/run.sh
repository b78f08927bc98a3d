#!/usr/bin/env bash
# Runs every interop script in this folder (each *.mjs except the lib_*.mjs helpers)
# against $ICESTREAM; fails when any of them reports a mismatch. Needs `npm ci` first
# (scripts/check.sh does it).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${ICESTREAM:?set ICESTREAM to the icestream binary}"
export ICESTREAM=$(cd "$(dirname "$ICESTREAM")" && pwd)/$(basename "$ICESTREAM")
export ICE_SHARED_DIR=${ICE_SHARED_DIR:-$(cd "$here/../../.." && pwd)/shared}
if [ ! -d "$here/node_modules" ]; then
  echo "run.sh: $here/node_modules missing: run 'npm ci' in tests/interop first" >&2
  exit 2
fi
status=0
failed=()
cd "$here"
for script in *.mjs; do
  case "$script" in lib_*) continue ;; esac
  echo "== interop: $script"
  if ! node "$script"; then
    status=1
    failed+=("$script")
  fi
done
if [ $status -ne 0 ]; then
  echo "interop: FAILED: ${failed[*]}" >&2
else
  echo "interop: all scripts passed"
fi
exit $status
