#!/usr/bin/env bash
# Read commands never create anything: scan, tables, describe and snapshots (and alter
# and drop, which change only an existing table) on a mistyped --warehouse or --catalog
# fail with an error naming the missing path, and leave no directory or catalog.db behind; cat and schema only read their file. Only
# load and create may create a warehouse and its catalog.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet
cd "$TMP" || exit 1 # the default ./warehouse is relative

snapshot() { find "$TMP" -mindepth 1 ! -name out ! -name err | sort; }
before=$(snapshot)
for cmd in "scan db.t" "describe db.t" "snapshots db.t" "tables" "tables db" \
  "alter db.t --set-property a=b" "drop db.t" "drop db.t --purge"; do
  # shellcheck disable=SC2086
  run $cmd --warehouse "$TMP/typo/wh"
  expect_error "$cmd on a missing warehouse" 1 "warehouse $TMP/typo/wh does not exist"
  # shellcheck disable=SC2086
  run $cmd
  expect_error "$cmd on the missing default warehouse" 1 "warehouse ./warehouse does not exist"
  # shellcheck disable=SC2086
  run $cmd --catalog "sqlite:$TMP/cat/x.db" --warehouse "$TMP/wh2"
  expect_error "$cmd on a missing catalog file" 1 "catalog $TMP/cat/x.db does not exist"
done
run cat "$IN" --limit 1
expect_ok "cat"
run schema "$IN"
expect_ok "schema"
expect_eq "read commands created nothing" "$(snapshot)" "$before"

# A warehouse directory without a catalog: named, and still nothing created.
mkdir "$TMP/empty-wh"
run tables --warehouse "$TMP/empty-wh"
expect_error "tables on a warehouse without catalog" 1 "catalog $TMP/empty-wh/catalog.db does not exist"
expect_eq "nothing created in an existing warehouse" "$(ls -A "$TMP/empty-wh")" ""

# load creates; the readers then work, and a read of another table creates nothing.
run load --warehouse "$WH" db.t "$IN"
expect_ok "load creates the warehouse"
run tables --warehouse "$WH"
expect_ok "tables"
expect_stdout "tables lists the new table" "db.t"
files=$(cd "$WH" && find . | sort)
run scan --warehouse "$WH" db.other
expect_error "scan of a missing table" 1 "db.other does not exist"
expect_eq "a missing table creates nothing" "$(cd "$WH" && find . | sort)" "$files"
run create --warehouse "$TMP/wh3" db.e --schema-from "$IN"
expect_ok "create creates the warehouse"
[ -f "$TMP/wh3/catalog.db" ] || fail "create made no catalog"
finish
