#!/usr/bin/env bash
# ci/check-layers.sh catches what breaks the layer map of docs/internals/LAYERS.md: an
# upward include (quoted or angle-bracket), a ".." include, a public header including a
# module, and a module missing from the map; the repository itself passes.
source "$(dirname "$0")/lib_cli.bash"
repo=$(cd "$(dirname "$0")/../.." && pwd)

bash "$repo/ci/check-layers.sh" >"$TMP/out" 2>&1 || fail "the repository breaks its layers: $(cat "$TMP/out")"

tree() { # a minimal copy: the check, the map, one header per module and a public header
  rm -rf "$TMP/t"
  mkdir -p "$TMP/t/ci" "$TMP/t/docs/internals" "$TMP/t/include/ice"
  cp "$repo/ci/check-layers.sh" "$TMP/t/ci/"
  cp "$repo/docs/internals/LAYERS.md" "$TMP/t/docs/internals/"
  for m in util io parquet iceberg ops cli; do
    mkdir -p "$TMP/t/src/$m"
    printf '#include <stdio.h>\n#include "util/alloc.h"\n' >"$TMP/t/src/$m/$m.c"
  done
  printf '#include "ice/ice_error.h"\n' >"$TMP/t/include/ice/ice_x.h"
  : >"$TMP/t/src/util/util.c"
  printf '#include "ice/ice_table.h"\n' >"$TMP/t/src/cli/cli.c"
}
expect_violation() { # DESCRIPTION PATTERN
  if bash "$TMP/t/ci/check-layers.sh" >"$TMP/out" 2>&1; then
    fail "$1: passed"
  elif ! grep -qE "$2" "$TMP/out"; then
    fail "$1: $(cat "$TMP/out")"
  fi
}

tree
bash "$TMP/t/ci/check-layers.sh" >"$TMP/out" 2>&1 || fail "a clean tree fails: $(cat "$TMP/out")"

tree
printf '#include "ops/op_load.h"\n' >>"$TMP/t/src/parquet/parquet.c"
expect_violation "parquet including ops" 'parquet.c:3 \(parquet\) includes "ops/op_load.h"'

tree
printf '#include <parquet/pq_reader.h>\n' >>"$TMP/t/src/iceberg/iceberg.c"
expect_violation "angle-bracket include upward" 'iceberg.c:3 \(iceberg\) includes "parquet/pq_reader.h"'

tree
printf '#include "../ops/op_load.h"\n' >>"$TMP/t/src/io/io.c"
expect_violation "a .. include" 'no \.\. in includes'

tree
printf '#include "util/alloc.h"\n' >>"$TMP/t/include/ice/ice_x.h"
expect_violation "a public header including a module" 'public header .*ice_x.h'

tree
printf '#include "util/alloc.h"\n' >"$TMP/t/src/cli/cli.c"
expect_violation "the CLI including a module" 'cli.c:1 \(cli\) includes "util/alloc.h"'

tree
mkdir -p "$TMP/t/src/newmod" && : >"$TMP/t/src/newmod/a.c"
expect_violation "a module not in the map" 'src/newmod is not in the layer map'

# a module below may be included through another (ops -> writer -> parquet)
tree
printf '#include "parquet/pq_reader.h"\n' >>"$TMP/t/src/ops/ops.c"
bash "$TMP/t/ci/check-layers.sh" >"$TMP/out" 2>&1 || fail "ops including parquet (transitive) fails: $(cat "$TMP/out")"

finish
