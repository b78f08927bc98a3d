#!/usr/bin/env bash
# Rejects banned functions in library and CLI code: unbounded string functions, atoi,
# and raw malloc/free outside src/util/alloc.c (everything goes through ice_malloc).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
pattern='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|alloca)[[:space:]]*\('
if grep -rnE "$pattern" src include --include='*.c' --include='*.h'; then
  echo "check-banned: banned function used (see above)"
  status=1
fi
raw=$(grep -rnE '(^|[^_a-z])(malloc|calloc|realloc|free|strdup|strndup)[[:space:]]*\(' src --include='*.c' \
      | grep -v -e '^src/util/alloc.c:' -e '^src/cli/' | grep -vE '^\S+:\s*(/?\*|//)' || true)
if [ -n "$raw" ]; then
  echo "$raw"
  echo "check-banned: raw allocation outside src/util/alloc.c (use ice_malloc/ice_free)"
  status=1
fi
[ $status -eq 0 ] && echo "check-banned: ok"
exit $status
