#!/usr/bin/env bash
# A table whose files are in the warehouse but whose catalog row is not (dlt with its
# in-memory catalog, a dropped row, a copied folder) is never created a second time over
# itself: load and create refuse, naming the folder and `icestream register`. Register
# adds it back and the next load continues its history (same table-uuid, next version).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# drop_row TABLE_NAME: deletes the catalog row, as a catalog that never knew the table.
drop_row() {
  python3 - "$WH/catalog.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("DELETE FROM iceberg_tables WHERE table_name = ?", (sys.argv[2],)).rowcount
db.commit()
sys.exit(0 if n == 1 else 1)
PY
}

run load --json --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
meta=$(jget "$TMP/out" "d['metadata_location']")
run describe --json --warehouse "$WH" db.t
uuid=$(jget "$TMP/out" "d['table-uuid']")
expect_eq "a finished creation leaves no creation marker" \
  "$(find "$WH" -name '*.creating' | wc -l | tr -d ' ')" 0
drop_row t || fail "could not delete the catalog row of db.t"
files_before=$(find "$WH/db" -type f | sort)

run load --warehouse "$WH" db.t "$IN"
expect_error "load over a table the catalog does not know" 1 \
  "$WH/db/t/metadata already holds 1 \*\.metadata\.json .*icestream register db\.t METADATA_LOCATION"
run create --warehouse "$WH" db.t --schema-from "$IN"
expect_error "create over a table the catalog does not know" 1 \
  "$WH/db/t/metadata already holds .*icestream register db\.t"
expect_eq "refused load and create wrote nothing" "$(find "$WH/db" -type f | sort)" \
  "$files_before"
run tables --warehouse "$WH"
expect_stdout "no catalog row was made" ""

# Register (a plain path is stored as a file: URI), then load: the same table goes on.
run register --json --warehouse "$WH" db.t "${meta#file:}"
expect_ok "register"
expect_eq "register --json names the metadata file" \
  "$(jget "$TMP/out" "d['metadata_location']")" "$meta"
expect_eq "register --json names the current snapshot" \
  "$(jget "$TMP/out" "d['current_snapshot_id'] is not None and d['registered']")" True
run load --warehouse "$WH" db.t "$IN"
expect_ok "load after register"
run describe --json --warehouse "$WH" db.t
expect_eq "history continues: same table-uuid" "$(jget "$TMP/out" "d['table-uuid']")" "$uuid"
expect_eq "history continues: next metadata version" \
  "$(jget "$TMP/out" "d['metadata-location'].rsplit('/', 1)[1][:6]")" "00001-"
expect_eq "two snapshots" "$(snapcount db.t)" 2
expect_eq "rows of both loads" "$(rowcount db.t)" 16
expect_eq "one metadata file per version" \
  "$(find "$WH/db/t/metadata" -name '*.metadata.json' | wc -l | tr -d ' ')" 2

# Register refuses what it cannot stand behind; its usage errors are exit 2.
run register --warehouse "$WH" db.t "$meta"
expect_error "register an existing name" 1 "db\.t already exists"
run register --warehouse "$WH" db.u "$TMP/nothing.metadata.json"
expect_error "register a missing file" 1 "nothing\.metadata\.json.*No such file"
echo '{"format-version": 2}' >"$TMP/bad.metadata.json"
run register --warehouse "$WH" db.u "$TMP/bad.metadata.json"
expect_error "register a file that is not table metadata" 1 "bad\.metadata\.json"
run tables --warehouse "$WH"
expect_stdout "failed registrations add no row" "db.t"
run register --warehouse "$WH" db.u
expect_error "register without METADATA_LOCATION" 2 "missing METADATA_LOCATION"
run register --warehouse "$WH"
expect_error "register without TABLE" 2 "missing TABLE"
run register --help
expect_ok "register --help"
grep -q "^usage: icestream register" "$TMP/out" || fail "register --help has no usage line"

# A table created over an empty metadata folder (or none) is still created at once.
mkdir -p "$WH/db/e/metadata"
run create --warehouse "$WH" db.e --schema-from "$IN"
expect_ok "create over an empty metadata folder"
expect_eq "create leaves no creation marker" \
  "$(find "$WH" -name '*.creating' | wc -l | tr -d ' ')" 0
# A creation killed before its catalog insert (tests/cli/load_kill.sh) leaves a marked
# file; the marker, not the file's age or name, is what lets a new creation through.
run create --warehouse "$WH" db.k --schema-from "$IN"
expect_ok "create db.k"
kmeta=$(ls "$WH/db/k/metadata/"*.metadata.json)
drop_row k || fail "could not delete the catalog row of db.k"
touch "$WH/db/k/metadata/.$(basename "$kmeta").creating"
run load --warehouse "$WH" db.k "$IN"
expect_ok "load over an unfinished creation"
run create --warehouse "$WH" db.k2 --schema-from "$IN"
mv "$WH/db/k2/metadata/"*.metadata.json "$WH/db/k/metadata/00007-foreign.metadata.json"
drop_row k || fail "could not delete the catalog row of db.k again"
run load --warehouse "$WH" db.k "$IN"
expect_error "one unmarked file among marked ones is another table" 1 \
  "already holds 2 \*\.metadata\.json file\(s\) .*newest 00007-foreign"
finish
