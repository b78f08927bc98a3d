#!/usr/bin/env bash
# Table locations never overlap (docs/locations.md): with <warehouse>/<ns>/<table>,
# a.b.data would live inside a.b's data folder, so creating it is refused (and a.b after
# a.b.data, the reverse), by load and by create, with an error naming both tables and
# nothing written. Sibling names (a.b, a.bc) are fine; a table's location is taken from
# its metadata, so a moved table is found where it really is.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# tables_list: the catalog's tables, one line.
tables_list() {
  "$ICESTREAM" tables --warehouse "$WH" 2>/dev/null | tr '\n' ' '
}

run load --warehouse "$WH" a.b "$IN"
expect_ok "load a.b"
run load --warehouse "$WH" a.b.data "$IN"
expect_error "load a.b.data inside a.b" 1 \
  "load a.b.data: cannot create the table: its location .*/a/b/data lies inside the location of table a.b "
[ ! -e "$WH/a/b/data/metadata" ] && [ ! -e "$WH/a/b/data/data" ] ||
  fail "refused a.b.data left folders in a.b's data folder"
expect_eq "a.b data files untouched" "$(datafiles "$WH/a/b")" 1
run create --warehouse "$WH" a.b.data --schema-from "$IN"
expect_error "create a.b.data inside a.b" 1 "lies inside the location of table a.b "
run create --warehouse "$WH" a.b.c.d --schema-from "$IN"
expect_error "create a.b.c.d deep inside a.b" 1 "lies inside the location of table a.b "

# reverse order: the outer table after the inner one.
run create --warehouse "$WH" x.y.z --schema-from "$IN"
expect_ok "create x.y.z"
run create --warehouse "$WH" x.y --schema-from "$IN"
expect_error "create x.y around x.y.z" 1 \
  "create x.y: cannot create the table: its location .*/x/y contains the location of table x.y.z "
run load --warehouse "$WH" x.y "$IN"
expect_error "load x.y around x.y.z" 1 "contains the location of table x.y.z "
[ -z "$(find "$WH/x/y" -maxdepth 2 -name '*.metadata.json')" ] || fail "x.y wrote metadata"

# siblings with a common prefix do not overlap.
run load --warehouse "$WH" a.bc "$IN"
expect_ok "load a.bc beside a.b"
expect_eq "tables" "$(tables_list)" "a.b a.bc x.y.z "

# a table moved by its metadata is found at its real location.
run load --warehouse "$WH" m.t "$IN"
expect_ok "load m.t"
meta=$(metadata_of m.t)
python3 - "${meta#file:}" "file:$WH/q/r" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["location"] = sys.argv[2]; json.dump(d, open(sys.argv[1], "w"))
PY
run create --warehouse "$WH" q.r.s --schema-from "$IN"
expect_error "create inside a moved table" 1 "lies inside the location of table m.t "

finish
