#!/usr/bin/env bash
# The repository stands alone: a fresh clone with nothing beside it runs `make check`.
# Rejects any path that reaches outside the clone for test data, tools or docs (a sibling
# ../shared folder, absolute /work/ paths, the old ICE_SHARED_DIR variable and
# ice_test_shared_dir() helper). Fixtures live in tests/data/ (see its README.md).
# bench/ may name optional outside inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='\.\./shared|/work/|ICE_SHARED_DIR|ice_test_shared_dir|%s/testdata/'
hits=$(git ls-files -co --exclude-standard -- . ':!bench/' ':!ci/check-standalone.sh' |
  grep -v -e '^tests/interop/node_modules/' -e '^tests/data/' |
  while IFS= read -r f; do [ -f "$f" ] && grep -nIE "$pattern" -- "$f" /dev/null || true; done)
if [ -n "$hits" ]; then
  echo "$hits"
  echo "check-standalone: references outside the repository (see above)"
  exit 1
fi
echo "check-standalone: ok"
