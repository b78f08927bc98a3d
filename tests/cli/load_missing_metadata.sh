#!/usr/bin/env bash
# A catalog row whose current metadata file is missing or unreadable: every command
# that reads the table fails with an error naming the file (once), and a load never
# mistakes it for a missing table and tries to create it again.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

run load --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
loc=$(metadata_of db.t)
file=${loc#file:}
[ -f "$file" ] || fail "metadata location $loc is not a local file"
mv "$file" "$TMP/saved.json"

row() {
  python3 -c 'import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute(
  "select metadata_location from iceberg_tables").fetchall())' "$WH/catalog.db"
}
before_row=$(row)
(cd "$WH" && find . -type f | sort) >"$TMP/before"

# once PATTERN: the error names $file exactly once.
once() {
  local n
  n=$(grep -o -F "$file" "$TMP/err" | wc -l)
  [ "$n" -eq 1 ] || fail "$1: the metadata file is named $n times: $(cat "$TMP/err")"
}

check_all() {
  local what=$1 pattern=$2
  run load --warehouse "$WH" db.t "$IN"
  expect_error "load, $what" 1 "$pattern"
  once "load, $what"
  grep -q "already exists\|attempts" "$TMP/err" && fail "load, $what: $(cat "$TMP/err")"
  run load --warehouse "$WH" --mode replace db.t "$IN"
  expect_error "replace, $what" 1 "$pattern"
  for cmd in scan describe snapshots; do
    run "$cmd" --warehouse "$WH" db.t
    expect_error "$cmd, $what" 1 "$pattern"
    once "$cmd, $what"
  done
  (cd "$WH" && find . -type f ! -path "./${file#"$WH"/}" | sort) >"$TMP/after"
  diff "$TMP/before" "$TMP/after" >&2 || fail "$what: files were written"
  expect_eq "$what: catalog row unchanged" "$(row)" "$before_row"
}

check_all "missing metadata file" "metadata file is missing.*metadata\.json: cannot open"
echo garbage >"$file"
check_all "metadata file that is not JSON" "metadata\.json: table metadata: invalid JSON"
rm "$file"
mkdir "$file"
check_all "metadata path that is a directory" "metadata\.json: not a regular file"
rmdir "$file"

mv "$TMP/saved.json" "$file"
run load --warehouse "$WH" db.t "$IN"
expect_ok "load once the file is back"
expect_eq "rows once the file is back" "$(rowcount db.t)" 16
finish
