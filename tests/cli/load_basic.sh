#!/usr/bin/env bash
# icestream load: create on first load, append twice, replace (summary counts exact),
# replace with empty input, empty append; describe/snapshots/scan/tables read it back;
# --help and usage errors for every table command.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

for cmd in load create describe snapshots scan tables; do
  run "$cmd" --help
  expect_ok "$cmd --help"
  grep -q "^usage: icestream $cmd" "$TMP/out" || fail "$cmd --help has no usage line"
done
run load
expect_error "load without TABLE" 2 "missing TABLE"
run load --mode upsert --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_error "bad --mode" 2 "--mode"
run load --memory-limit lots --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_error "bad --memory-limit" 2 "memory-limit"
run load --warehouse "$WH" notable "$P/alltypes_plain.parquet"
expect_error "identifier without namespace" 1 "namespace.table"
run describe --warehouse "$WH" db.nothing
expect_error "describe missing table" 1 "does not exist"

# 1. first load creates the table (format v2) and commits one append
run load --json --warehouse "$WH" --property owner=tests --load-id L1 db.t "$P/alltypes_plain.parquet"
expect_ok "first load"
expect_eq "first load rows" "$(jget "$TMP/out" "d['rows_written']")" 8
expect_eq "first load created" "$(jget "$TMP/out" "d['table_created']")" True
expect_eq "first load operation" "$(jget "$TMP/out" "d['operation']")" append
expect_eq "first load files" "$(jget "$TMP/out" "d['data_files_added']")" 1
first_snap=$(jget "$TMP/out" "d['snapshot_id']")
[ "$first_snap" -gt 0 ] || fail "snapshot id not positive: $first_snap"
expect_eq "load-id in summary" "$(summary db.t icestream.load-id)" L1
run describe --json --warehouse "$WH" db.t
expect_ok "describe --json"
expect_eq "format version" "$(jget "$TMP/out" "d['format-version']")" 2
expect_eq "property set at creation" "$(jget "$TMP/out" "d['properties'].get('owner')")" tests
expect_eq "timestamp column" "$(jget "$TMP/out" "[f['type'] for f in d['schema']['fields'] if f['name']=='timestamp_col'][0]")" timestamptz

# 2. second append: one more snapshot, totals carried
run load --warehouse "$WH" db.t "$P/alltypes_plain.snappy.parquet"
expect_ok "second load (append)"
grep -q "rows written: *2" "$TMP/out" || fail "human summary lacks rows: $(cat "$TMP/out")"
expect_eq "snapshots after two appends" "$(snapcount db.t)" 2
expect_eq "total-records after appends" "$(summary db.t total-records)" 10
expect_eq "total-data-files after appends" "$(summary db.t total-data-files)" 2
expect_eq "scan rows after appends" "$(rowcount db.t)" 10
run snapshots --json --warehouse "$WH" db.t
expect_eq "parent of second" "$(jget "$TMP/out" "d[1]['parent-snapshot-id']")" "$first_snap"
expect_eq "sequence numbers" "$(jget "$TMP/out" "[s['sequence-number'] for s in d]")" "[1, 2]"

# 3. replace a non-empty table: overwrite, exact removed counts
size_before=$(summary db.t total-files-size)
run load --json --mode replace --warehouse "$WH" db.t "$P/alltypes_dictionary.parquet"
expect_ok "replace"
expect_eq "replace operation" "$(jget "$TMP/out" "d['operation']")" overwrite
expect_eq "replace files removed" "$(jget "$TMP/out" "d['data_files_removed']")" 2
expect_eq "deleted-data-files" "$(summary db.t deleted-data-files)" 2
expect_eq "deleted-records" "$(summary db.t deleted-records)" 10
expect_eq "removed-files-size" "$(summary db.t removed-files-size)" "$size_before"
expect_eq "added-records" "$(summary db.t added-records)" 2
expect_eq "total-records after replace" "$(summary db.t total-records)" 2
expect_eq "total-data-files after replace" "$(summary db.t total-data-files)" 1
expect_eq "scan rows after replace" "$(rowcount db.t)" 2
"$ICESTREAM" scan --warehouse "$WH" db.t --columns id --format csv >"$TMP/ids.csv"
expect_eq "replace content" "$(tr '\n' ' ' <"$TMP/ids.csv")" "id 0 1 "

# 4. replace with an empty Parquet file: operation delete, table empty
# (made from one of the table's own data files, so its types are the table's)
empty_parquet "$(find "$WH/db/t/data" -name '*.parquet' | head -1)" "$TMP/empty.parquet" || fail "making an empty Parquet file"
run load --json --mode replace --warehouse "$WH" db.t "$TMP/empty.parquet"
expect_ok "replace with empty input"
expect_eq "empty replace operation" "$(jget "$TMP/out" "d['operation']")" delete
expect_eq "total-records after empty replace" "$(summary db.t total-records)" 0
expect_eq "deleted-records of empty replace" "$(summary db.t deleted-records)" 2
expect_eq "scan rows after empty replace" "$(rowcount db.t)" 0

# 5. empty append: no snapshot
n=$(snapcount db.t)
run load --json --warehouse "$WH" db.t "$TMP/empty.parquet"
expect_ok "empty append"
expect_eq "empty append committed" "$(jget "$TMP/out" "d['committed']")" False
expect_eq "no snapshot for empty append" "$(snapcount db.t)" "$n"

# 6. replace into an empty table is an append; directories and globs as inputs
mkdir -p "$TMP/in"
cp "$P/alltypes_plain.parquet" "$TMP/in/b.parquet"
cp "$P/alltypes_plain.snappy.parquet" "$TMP/in/a.parquet"
echo "not parquet, ignored by the directory rule" >"$TMP/in/notes.txt"
run load --json --mode replace --warehouse "$WH" db.t2 "$TMP/in"
expect_ok "replace into a new table from a directory"
expect_eq "replace on empty is append" "$(jget "$TMP/out" "d['operation']")" append
expect_eq "directory rows" "$(jget "$TMP/out" "d['rows_written']")" 10
run load --json --warehouse "$WH" db.t2 "$TMP/in/*.parquet"
expect_ok "glob input"
expect_eq "glob rows" "$(jget "$TMP/out" "d['rows_written']")" 10

# 7. nested namespaces, tables listing, create
run load --warehouse "$WH" a.b.c "$P/alltypes_plain.parquet"
expect_ok "nested namespace"
run create --warehouse "$WH" db.empty --schema-from "$P/alltypes_plain.parquet"
expect_ok "create"
run create --warehouse "$WH" db.empty --schema-from "$P/alltypes_plain.parquet"
expect_error "create twice" 1 "exists"
run tables --warehouse "$WH"
expect_stdout "tables" "a.b.c
db.empty
db.t
db.t2"
run tables --warehouse "$WH" db
expect_stdout "tables db" "db.empty
db.t
db.t2"
run scan --warehouse "$WH" db.empty
expect_ok "scan empty table"
expect_eq "empty table rows" "$(wc -l <"$TMP/out" | tr -d ' ')" 0
run scan --warehouse "$WH" --snapshot "$first_snap" db.t
expect_ok "scan old snapshot"
expect_eq "time travel rows" "$(wc -l <"$TMP/out" | tr -d ' ')" 8

# 8. progress line on request (never when stderr is not a terminal by default), other
# catalog files and catalog names
"$ICESTREAM" load --progress always --warehouse "$WH" db.t2 "$P/alltypes_plain.parquet" \
  >"$TMP/out" 2>"$TMP/err" || fail "load --progress always failed"
grep -q "loading: 100% of .*MiB read, 8 rows (.*rows/s), ETA .*files 1/1" "$TMP/err" || fail "no progress line: $(cat "$TMP/err")"
run load --warehouse "$WH" db.t2 "$P/alltypes_plain.parquet"
expect_ok "no progress when stderr is not a terminal"
run load --warehouse "$WH" --catalog "sqlite:$TMP/other.db" --catalog-name prod db.other \
  "$P/alltypes_plain.parquet"
expect_ok "load into another catalog file"
[ -f "$TMP/other.db" ] || fail "catalog file not created"
run tables --warehouse "$WH" --catalog "sqlite:$TMP/other.db" --catalog-name prod
expect_stdout "tables of the other catalog" "db.other"
run tables --warehouse "$WH" --catalog "sqlite:$TMP/other.db"
expect_stdout "catalog name separates tables" ""
run load --warehouse "$WH" --catalog "postgresql://nobody:pw-xyzzy@127.0.0.1:1/x?connect_timeout=2" db.t "$P/alltypes_plain.parquet"
expect_error "postgres server absent" 1 "postgresql catalog postgresql://nobody:\*\*\*@127.0.0.1:1/x.*cannot connect"
grep -q xyzzy "$TMP/err" && fail "password in the error: $(cat "$TMP/err")"

# 9. metadata log kept to write.metadata.previous-versions-max; snapshot log complete
for i in 1 2 3 4; do
  run load --warehouse "$WH" --property write.metadata.previous-versions-max=2 db.logs \
    "$P/alltypes_plain.snappy.parquet"
  expect_ok "load $i into db.logs"
done
m=$(metadata_of db.logs)
m=${m#file:}
expect_eq "metadata-log trimmed" "$(jget "$m" "len(d['metadata-log'])")" 2
expect_eq "metadata-log newest entry" "$(jget "$m" "d['metadata-log'][-1]['metadata-file'].split('/')[-1][:5]")" 00002
expect_eq "snapshot-log complete" "$(jget "$m" "len(d['snapshot-log'])")" 4
expect_eq "snapshot-log follows main" "$(jget "$m" "d['snapshot-log'][-1]['snapshot-id'] == d['current-snapshot-id'] == d['refs']['main']['snapshot-id']")" True
finish
