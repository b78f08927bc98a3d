#!/usr/bin/env bash
# Loads into partitioned tables (`load --partition-by` creating them): identity, bucket of
# a long and of a string, truncate of a string and of a decimal, year/month/day/hour of a
# timestamptz, day of a date and a two-field spec, over 3000 rows in random order with
# nulls, negative decimals and pre-1970 timestamps. For each: the rows equal those of the
# same input loaded unpartitioned (exactly, sorted), one append snapshot whose summary
# counts every row and changed-partition-count = the partition folders written = the data
# files (each file holds one tuple); the independent check (tests/interop
# check_partitions.mjs: DuckDB reads every file, JS recomputes every row's tuple with its
# own Murmur3 and compares it with the manifest's, the manifest list's summaries bound
# every file, and the file lies in the Hive folder of its tuple, k=null for a null) finds
# nothing; icebird and DuckDB read what `icestream scan` reads (check_table.mjs). Then a
# replace removes every old file, --partition-by against a table of another spec is
# refused with nothing committed, and an append to Spark's partitioned table
# (bucket[4](id), identity(date) with a null date) writes files under Spark's spec.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if ! have_duckdb || [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
export TMPDIR=$TMP/tmp # spill folders of these loads, checked empty at the end
mkdir -p "$TMPDIR"

duck "SELECT setseed(0.5)" \
  "COPY (SELECT i::BIGINT * 7919 - 10000000 AS id,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (['alpha', 'beta gamma', 'é/ü?', 'x', 'delta=1', ''])[1 + i % 6] || (i % 13) END AS s,
      ((i % 300) * 0.07 - 10.55)::DECIMAL(12,2) AS dec,
      TIMESTAMPTZ '1969-12-31 18:00:00+00' + to_microseconds((i % 400 * 77777777)::BIGINT * 1000) AS tz,
      DATE '1968-02-28' + (i % 200 * 4)::INTEGER AS d,
      CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 5)::INTEGER END AS k,
      'payload ' || i AS p
    FROM range(3000) t(i) ORDER BY hash(i)) TO '$TMP/in.parquet' (FORMAT parquet)" >/dev/null ||
  fail "DuckDB could not write the input"

# sorted_scan TABLE: every row icestream scans, sorted.
sorted_scan() {
  "$ICESTREAM" scan --warehouse "$WH" "$1" 2>"$TMP/scan.err" | LC_ALL=C sort
}
# check_interop TABLE [no-icebird]: the independent partition check and the three
# readers (icebird's Avro reader has no `fixed`, the type of decimal partition values in
# a manifest: such tables are left to DuckDB and avsc).
check_interop() {
  local meta
  meta=$(metadata_of "$1")
  meta=${meta#file:}
  node "$INTEROP/check_partitions.mjs" "$meta" >"$TMP/parts.json" 2>&1 ||
    fail "$1: check_partitions: $(head -c 1500 "$TMP/parts.json")"
  [ "$(jget "$TMP/parts.json" "d['paths_checked'] == d['files']")" = True ] ||
    fail "$1: not every file's folder was checked: $(head -c 600 "$TMP/parts.json")"
  [ "${2:-}" = no-icebird ] && return
  "$ICESTREAM" scan --warehouse "$WH" "$1" >"$TMP/scan.jsonl" 2>"$TMP/scan.err" ||
    fail "scan $1: $(cat "$TMP/scan.err")"
  node "$INTEROP/check_table.mjs" "$meta" --expect-rows "$(wc -l <"$TMP/scan.jsonl")" \
    --expect-jsonl "$TMP/scan.jsonl" >"$TMP/check.out" 2>&1 ||
    fail "$1: check_table: $(head -c 1500 "$TMP/check.out")"
}
# folders TABLE_DIR: distinct folders holding data files.
folders() {
  find "$1/data" -name '*.parquet' -printf '%h\n' | sort -u | wc -l | tr -d ' '
}

run load --warehouse "$WH" db.ref "$TMP/in.parquet"
expect_ok "unpartitioned reference load"
sorted_scan db.ref >"$TMP/ref.jsonl"
expect_eq "reference rows" "$(wc -l <"$TMP/ref.jsonl" | tr -d ' ')" 3000

n=0
while IFS='|' read -r spec folder_re; do
  n=$((n + 1))
  t=db.p$n
  run load --json --warehouse "$WH" --partition-by "$spec" "$t" "$TMP/in.parquet"
  expect_ok "load --partition-by '$spec'"
  files=$(jget "$TMP/out" "d['data_files_added']")
  parts=$(jget "$TMP/out" "d.get('partitions_written', 0)")
  expect_eq "$spec: rows written" "$(jget "$TMP/out" "d['rows_written']")" 3000
  sorted_scan "$t" | cmp -s - "$TMP/ref.jsonl" || fail "$spec: rows differ from the unpartitioned load"
  expect_eq "$spec: snapshots" "$(snapcount "$t")" 1
  expect_eq "$spec: operation" "$(summary "$t" operation)" append
  expect_eq "$spec: added-records" "$(summary "$t" added-records)" 3000
  expect_eq "$spec: changed-partition-count" "$(summary "$t" changed-partition-count)" "$parts"
  expect_eq "$spec: one file per partition" "$files" "$parts"
  expect_eq "$spec: one folder per partition" "$(folders "$WH/db/p$n")" "$parts"
  find "$WH/db/p$n/data" -name '*.parquet' | sed "s|^$WH/db/p$n/data/||" | grep -Evq "^$folder_re/[^/]+\.parquet$" &&
    fail "$spec: a data file outside the pattern $folder_re: $(find "$WH/db/p$n/data" -name '*.parquet' | head -3)"
  case "$spec" in *dec*) check_interop "$t" no-icebird ;; *) check_interop "$t" ;; esac
  echo "$spec: $parts partitions"
done <<'SPECS'
k|k=(null|[0-4])
bucket(16, id)|id_bucket=([0-9]|1[0-5])
bucket(8, s)|s_bucket=([0-7]|null)
truncate(4, s)|s_trunc=[^/]+
truncate(10, dec)|dec_trunc=-?[0-9]+\.[0-9]{2}
year(tz)|tz_year=[0-9]{4}
month(tz)|tz_month=[0-9]{4}-[0-9]{2}
day(tz)|tz_day=[0-9]{4}-[0-9]{2}-[0-9]{2}
hour(tz)|tz_hour=[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}
day(d)|d_day=19[67][0-9]-[0-9]{2}-[0-9]{2}
bucket(4, id), day(d) AS dd|id_bucket=[0-3]/dd=19[67][0-9]-[0-9]{2}-[0-9]{2}
SPECS

# Partition counts an independent reader computes: identity(k) has 6 (0..4 and null),
# year(tz) one per year the timestamps reach.
expect_eq "identity partitions" "$(summary db.p1 changed-partition-count)" \
  "$(duck "SELECT count(DISTINCT coalesce(k, -1)) AS n FROM '$TMP/in.parquet'" | jget /dev/stdin "d['n']")"
expect_eq "year partitions" "$(summary db.p6 changed-partition-count)" \
  "$(duck "SET TimeZone = 'UTC'" "SELECT count(DISTINCT year(tz)) AS n FROM '$TMP/in.parquet'" | jget /dev/stdin "d['n']")"
[ -d "$WH/db/p1/data/k=null" ] || fail "no k=null folder for the null partition"

# Replace on a partitioned table: every old file removed, the new rows only.
duck "COPY (SELECT * FROM '$TMP/in.parquet' WHERE k = 1) TO '$TMP/k1.parquet' (FORMAT parquet)" >/dev/null
before=$(summary db.p1 total-data-files)
run load --json --mode replace --warehouse "$WH" db.p1 "$TMP/k1.parquet"
expect_ok "replace a partitioned table"
expect_eq "replace: files removed" "$(jget "$TMP/out" "d['data_files_removed']")" "$before"
expect_eq "replace: files added (one partition)" "$(jget "$TMP/out" "d['data_files_added']")" 1
expect_eq "replace: operation" "$(summary db.p1 operation)" overwrite
expect_eq "replace: snapshots" "$(snapcount db.p1)" 2
expect_eq "replace: total-data-files" "$(summary db.p1 total-data-files)" 1
expect_eq "replace: rows" "$(rowcount db.p1)" \
  "$(duck "SELECT count(*) AS n FROM '$TMP/k1.parquet'" | jget /dev/stdin "d['n']")"
check_interop db.p1
# and an append on top: a second file in k=1, the rows of both loads.
run load --warehouse "$WH" db.p1 "$TMP/in.parquet"
expect_ok "append after replace"
expect_eq "append after replace: snapshots" "$(snapcount db.p1)" 3
expect_eq "append after replace: live files" "$(summary db.p1 total-data-files)" 7
check_interop db.p1

# --partition-by and a table that exists: the same spec is fine, another is refused.
meta=$(metadata_of db.p2)
run load --warehouse "$WH" --partition-by 'bucket(16, id)' db.p2 "$TMP/k1.parquet"
expect_ok "--partition-by equal to the table's spec"
meta=$(metadata_of db.p2)
run load --warehouse "$WH" --partition-by 'bucket(8, id)' db.p2 "$TMP/k1.parquet"
expect_error "--partition-by another spec" 1 "exists with another partition spec"
expect_eq "refused: nothing committed" "$(metadata_of db.p2)" "$meta"
run load --warehouse "$WH" --partition-by 'bucket(8, id)' db.ref "$TMP/k1.parquet"
expect_error "--partition-by on an unpartitioned table" 1 "another partition spec"
run load --warehouse "$WH" --partition-by 'bucket(8, nope)' db.new "$TMP/k1.parquet"
expect_error "--partition-by naming no column" 1 "nope"
[ -e "$WH/db/new" ] && fail "a refused spec created db.new"

# Appending to Spark's partitioned table: files under its spec (bucket[4](id), date).
B=s3a://hyperparam-iceberg
mkdir -p "$TMP/bucket/spark"
cp -r "$TESTDATA/iceberg-tables/spark/rename_column" "$TMP/bucket/spark/"
RC=$TMP/bucket/spark/rename_column
MAP="$B/spark/rename_column=$RC"
duck "COPY (SELECT i::INT AS id, 'x' || i AS name,
    CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2022-01-01' + (i % 3)::INTEGER END AS event_date,
    (i * 1.25)::DECIMAL(10,2) AS price, i % 2 = 0 AS active FROM range(10, 30) t(i))
  TO '$TMP/spark_in.parquet' (FORMAT parquet)" >/dev/null
run register --warehouse "$WH" --location-map "$MAP" spark.rc "$B/spark/rename_column/metadata/v3.metadata.json"
expect_ok "register Spark's partitioned table"
run load --json --warehouse "$WH" --location-map "$MAP" --allow-location "$RC" spark.rc "$TMP/spark_in.parquet"
expect_ok "append to Spark's partitioned table"
expect_eq "Spark table: rows" "$("$ICESTREAM" scan --warehouse "$WH" --location-map "$MAP" spark.rc | wc -l | tr -d ' ')" 24
ls "$RC"/data/id_bucket=*/date=null/*.parquet >/dev/null 2>&1 || fail "no date=null folder"
new=$(find "$RC/data" -name '*.parquet' -newer "$TMP/spark_in.parquet" | wc -l | tr -d ' ')
expect_eq "Spark table: new files, one per partition" "$new" "$(jget "$TMP/out" "d['partitions_written']")"
local_meta=$RC/metadata/$(basename "$(jget "$TMP/out" "d['metadata_location']")")
node "$INTEROP/check_partitions.mjs" "$local_meta" --map "$MAP" >"$TMP/sp.json" 2>&1 ||
  fail "Spark table: check_partitions: $(head -c 1500 "$TMP/sp.json")"
expect_eq "Spark table: files checked" "$(jget "$TMP/sp.json" "d['partitioned_files']")" $((new + 3))
node "$INTEROP/verify_table.mjs" "$local_meta" --map "$B=$TMP/bucket" >"$TMP/vt.json" 2>&1 ||
  fail "Spark table: verify_table: $(head -c 1500 "$TMP/vt.json")"
grep -q '"icebird_rows": 24' "$TMP/vt.json" || fail "icebird did not read 24 rows: $(head -c 800 "$TMP/vt.json")"
grep -q '"duckdb_rows": 24' "$TMP/vt.json" || fail "DuckDB did not read 24 rows"

[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary files left: $(ls "$TMPDIR")"
finish
