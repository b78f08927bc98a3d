#!/usr/bin/env bash
# Partition evolution across operations. db.ev is loaded under identity(k) (spec 0), then
# `alter --partition-by 'bucket(4, id)'` (spec 1): an append writes its files under
# spec 1 (one new manifest, of spec 1; the spec-0 manifest carried; folders
# id_bucket=N), a scan returns the rows of both specs, overwrite-partitions replaces
# only spec-1 partitions it writes (spec-0 files kept, even with rows of the same ids'
# buckets), `--partition-by ''` makes new files unpartitioned (spec 2) and a scan
# returns all three specs' rows, and overwrite-partitions on the now unpartitioned table
# replaces the whole table (every spec). db.ev2: a replace over two specs removes the
# files of both. Spark's rename_column (bucket[4](id), identity(date)) gets a new spec
# by `alter` and an append: files of both specs. Each step: rows exact (against DuckDB's
# reading of the inputs), snapshot count +1, operation and summary counters, and the
# independent readers (check_partitions.mjs per manifest spec, with its header;
# check_table.mjs / verify_table.mjs: DuckDB and icebird read what `icestream scan` reads).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if ! have_duckdb || [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi

# gen OUT FROM N: N rows with ids FROM.., k = 0..4 (null every 7th), a date and a payload.
gen() {
  duck "COPY (SELECT i::BIGINT AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 5)::INTEGER END AS k,
      DATE '2024-01-01' + (i % 30)::INTEGER AS d, 'p' || i AS s
    FROM range($2, $2 + $3) t(i) ORDER BY hash(i)) TO '$1' (FORMAT parquet)" >/dev/null ||
    fail "DuckDB could not write $1"
}
gen "$TMP/a.parquet" 0 1000
gen "$TMP/b.parquet" 1000 500
gen "$TMP/e.parquet" 3000 40

# canon < JSONL: comparable rows (ids as numbers; DuckDB prints BIGINT as a string).
canon() {
  python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    for c in ("id", "k"):
        if r.get(c) is not None: r[c] = int(r[c])
    print(json.dumps(r, sort_keys=True))' | LC_ALL=C sort
}
# want SQL: the rows of a DuckDB query, canonical.
want() {
  duck "$1" | canon
}
# expect_rows TABLE SQL: icestream's scan equals the rows of SQL.
expect_rows() {
  "$ICESTREAM" scan --warehouse "$WH" "$1" 2>"$TMP/scan.err" | canon >"$TMP/got"
  want "$2" >"$TMP/want"
  cmp -s "$TMP/got" "$TMP/want" ||
    fail "$1: rows differ ($(wc -l <"$TMP/got") vs $(wc -l <"$TMP/want")): $(diff "$TMP/got" "$TMP/want" | head -5)"
}
# check_interop TABLE: the per-spec partition check (its report in $TMP/parts.json) and
# DuckDB + icebird against `icestream scan`.
check_interop() {
  local meta
  meta=$(metadata_of "$1")
  meta=${meta#file:}
  node "$INTEROP/check_partitions.mjs" "$meta" >"$TMP/parts.json" 2>&1 ||
    fail "$1: check_partitions: $(head -c 1500 "$TMP/parts.json")"
  "$ICESTREAM" scan --warehouse "$WH" "$1" >"$TMP/scan.jsonl" 2>"$TMP/scan.err" ||
    fail "scan $1: $(cat "$TMP/scan.err")"
  node "$INTEROP/check_table.mjs" "$meta" --expect-rows "$(wc -l <"$TMP/scan.jsonl")" \
    --expect-jsonl "$TMP/scan.jsonl" >"$TMP/check.out" 2>&1 ||
    fail "$1: check_table: $(head -c 1500 "$TMP/check.out")"
}
# by_spec WHAT: files_by_spec or manifests_by_spec of the last check, as "spec:n ...".
by_spec() {
  jget "$TMP/parts.json" "' '.join(f'{k}:{v}' for k, v in sorted(d['$1'].items()))"
}
A="SELECT * FROM '$TMP/a.parquet'"
B="SELECT * FROM '$TMP/b.parquet'"

# ---- spec 0: identity(k)
run load --json --warehouse "$WH" --partition-by k db.ev "$TMP/a.parquet"
expect_ok "create under k"
expect_eq "spec 0: partitions" "$(jget "$TMP/out" "d['partitions_written']")" 6

# ---- spec 1: bucket(4, id), then an append under it
run alter --warehouse "$WH" db.ev --partition-by 'bucket(4, id)'
expect_ok "alter --partition-by bucket(4, id)"
expect_eq "alter adds no snapshot" "$(snapcount db.ev)" 1
run load --json --warehouse "$WH" db.ev "$TMP/b.parquet"
expect_ok "append under spec 1"
expect_eq "append: snapshots" "$(snapcount db.ev)" 2
expect_eq "append: operation" "$(summary db.ev operation)" append
expect_eq "append: counters" \
  "$(jget "$TMP/out" "(d['data_files_added'], d['partitions_written'])") $(summary db.ev added-records) $(summary db.ev total-records) $(summary db.ev total-data-files)" \
  "(4, 4) 500 1500 10"
n_bucket=$(find "$WH/db/ev/data" -path '*/id_bucket=*' -name '*.parquet' | wc -l | tr -d ' ')
expect_eq "append: files in id_bucket= folders" "$n_bucket" 4
expect_rows db.ev "$A UNION ALL $B"
check_interop db.ev
expect_eq "append: files per spec" "$(by_spec files_by_spec)" "0:6 1:4"
expect_eq "append: one manifest per spec" "$(by_spec manifests_by_spec)" "0:1 1:1"

# ---- overwrite-partitions under spec 1: bucket 1 only; spec-0 files stay
ids=$(cd "$INTEROP" && node partition_rows.mjs pick 'bucket[4]' long 5000 25 1)
duck "COPY (SELECT id::BIGINT AS id, 9::INTEGER AS k, DATE '2025-05-05' AS d, 'o' || id AS s
  FROM (SELECT unnest([$ids]) AS id)) TO '$TMP/o.parquet' (FORMAT parquet)" >/dev/null
duck "$B" >"$TMP/b.jsonl"
duck "SELECT * FROM '$TMP/o.parquet'" >"$TMP/o.jsonl"
node "$INTEROP/partition_rows.mjs" "bucket[4]:id:long" "$TMP/o.jsonl" "$TMP/b.jsonl" touched >"$TMP/b_gone.jsonl"
gone=$(wc -l <"$TMP/b_gone.jsonl" | tr -d ' ')
run load --json --mode overwrite-partitions --warehouse "$WH" db.ev "$TMP/o.parquet"
expect_ok "overwrite-partitions over two specs"
expect_eq "overwrite: snapshots" "$(snapcount db.ev)" 3
expect_eq "overwrite: summary" \
  "$(summary db.ev operation) $(summary db.ev replace-partitions) $(summary db.ev deleted-data-files) $(summary db.ev deleted-records) $(summary db.ev added-records)" \
  "overwrite true 1 $gone 25"
node "$INTEROP/partition_rows.mjs" "bucket[4]:id:long" "$TMP/o.jsonl" "$TMP/b.jsonl" kept >"$TMP/b_kept.jsonl"
cat "$TMP/b_kept.jsonl" "$TMP/o.jsonl" | canon >"$TMP/part_want"
duck "$A" | canon >"$TMP/a.canon"
"$ICESTREAM" scan --warehouse "$WH" db.ev | canon >"$TMP/got"
LC_ALL=C sort -m "$TMP/a.canon" "$TMP/part_want" | cmp -s - "$TMP/got" ||
  fail "overwrite: rows are not spec 0's, spec 1's untouched buckets and the input"
check_interop db.ev
expect_eq "overwrite: files per spec" "$(by_spec files_by_spec)" "0:6 1:4"

# ---- spec 2: unpartitioned again; an append writes one plain file
run alter --warehouse "$WH" db.ev --partition-by ''
expect_ok "alter --partition-by ''"
run load --json --warehouse "$WH" db.ev "$TMP/e.parquet"
expect_ok "append unpartitioned"
expect_eq "unpartitioned append: one file, no partition" \
  "$(jget "$TMP/out" "(d['data_files_added'], d.get('partitions_written', 0))")" "(1, 0)"
expect_eq "unpartitioned append: snapshots" "$(snapcount db.ev)" 4
[ "$(find "$WH/db/ev/data" -maxdepth 1 -name '*.parquet' | wc -l)" -eq 1 ] ||
  fail "the unpartitioned file is not directly under data/"
"$ICESTREAM" scan --warehouse "$WH" db.ev | canon >"$TMP/got"
want "SELECT * FROM '$TMP/e.parquet'" >"$TMP/e.canon"
LC_ALL=C sort -m "$TMP/a.canon" "$TMP/part_want" "$TMP/e.canon" | cmp -s - "$TMP/got" ||
  fail "three specs: rows differ"
check_interop db.ev
expect_eq "three specs: files per spec" "$(by_spec files_by_spec)" "0:6 1:4 2:1"
# spec 1 has the overwrite's new manifest and the rewrite of the append's (its other 3
# files EXISTING, the replaced one DELETED); spec 2 the new load's one.
expect_eq "three specs: manifests per spec" "$(by_spec manifests_by_spec)" "0:1 1:2 2:1"

# ---- overwrite-partitions with an unpartitioned default spec: the whole table
run load --json --mode overwrite-partitions --warehouse "$WH" db.ev "$TMP/o.parquet"
expect_ok "overwrite-partitions on the unpartitioned spec"
expect_eq "whole overwrite: files" "$(jget "$TMP/out" "(d['data_files_added'], d['data_files_removed'])")" "(1, 11)"
expect_eq "whole overwrite: summary" \
  "$(summary db.ev operation) $(summary db.ev total-data-files) $(summary db.ev total-records)" "overwrite 1 25"
expect_rows db.ev "SELECT * FROM '$TMP/o.parquet'"
check_interop db.ev

# ---- replace over two specs removes every file
run load --warehouse "$WH" --partition-by k db.ev2 "$TMP/a.parquet"
expect_ok "ev2: create"
run alter --warehouse "$WH" db.ev2 --partition-by 'bucket(4, id), k'
expect_ok "ev2: alter"
run load --warehouse "$WH" db.ev2 "$TMP/b.parquet"
expect_ok "ev2: append under the new spec"
before=$(summary db.ev2 total-data-files)
run load --json --mode replace --warehouse "$WH" db.ev2 "$TMP/e.parquet"
expect_ok "ev2: replace"
expect_eq "ev2: every file removed" "$(jget "$TMP/out" "d['data_files_removed']")" "$before"
expect_eq "ev2: snapshots" "$(snapcount db.ev2)" 3
expect_eq "ev2: summary" "$(summary db.ev2 operation) $(summary db.ev2 total-records)" "overwrite 40"
expect_rows db.ev2 "SELECT * FROM '$TMP/e.parquet'"
check_interop db.ev2
expect_eq "ev2: files of the new spec only" "$(by_spec files_by_spec)" \
  "1:$(jget "$TMP/out" "d['data_files_added']")"

# ---- Spark's table: a new spec, then an append; files of both specs
B3=s3a://hyperparam-iceberg
mkdir -p "$TMP/bucket/spark"
cp -r "$TESTDATA/iceberg-tables/spark/rename_column" "$TMP/bucket/spark/"
RC=$TMP/bucket/spark/rename_column
MAP="$B3/spark/rename_column=$RC"
duck "COPY (SELECT i::INT AS id, 'x' || i AS name,
    CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2022-01-01' + (i % 3)::INTEGER END AS event_date,
    (i * 1.25)::DECIMAL(10,2) AS price, i % 2 = 0 AS active FROM range(10, 30) t(i))
  TO '$TMP/spark_in.parquet' (FORMAT parquet)" >/dev/null
run register --warehouse "$WH" --location-map "$MAP" spark.rc "$B3/spark/rename_column/metadata/v3.metadata.json"
expect_ok "register Spark's table"
run alter --warehouse "$WH" --location-map "$MAP" --allow-location "$RC" spark.rc --partition-by 'bucket(2, id)'
expect_ok "alter Spark's table"
run load --json --warehouse "$WH" --location-map "$MAP" --allow-location "$RC" spark.rc "$TMP/spark_in.parquet"
expect_ok "append to Spark's table under the new spec"
expect_eq "Spark table: partitions" "$(jget "$TMP/out" "d['partitions_written']")" 2
"$ICESTREAM" snapshots --json --warehouse "$WH" --location-map "$MAP" spark.rc >"$TMP/sn.json" 2>/dev/null
expect_eq "Spark table: one snapshot more" "$(jget "$TMP/sn.json" "(len(d), d[-1]['summary']['operation'], d[-1]['summary']['added-records'])")" "(2, 'append', '20')"
[ "$(find "$RC/data" -path '*/id_bucket=*' -newer "$TMP/spark_in.parquet" -name '*.parquet' | wc -l)" -eq 2 ] ||
  fail "Spark table: the new files are not in the new spec's folders"
local_meta=$RC/metadata/$(basename "$(jget "$TMP/out" "d['metadata_location']")")
node "$INTEROP/check_partitions.mjs" "$local_meta" --map "$MAP" >"$TMP/parts.json" 2>&1 ||
  fail "Spark table: check_partitions: $(head -c 1500 "$TMP/parts.json")"
expect_eq "Spark table: files per spec" "$(by_spec files_by_spec)" "0:3 1:2"
node "$INTEROP/verify_table.mjs" "$local_meta" --map "$B3=$TMP/bucket" >"$TMP/vt.json" 2>&1 ||
  fail "Spark table: verify_table: $(head -c 1500 "$TMP/vt.json")"
grep -q '"icebird_rows": 24' "$TMP/vt.json" || fail "icebird did not read 24 rows: $(head -c 800 "$TMP/vt.json")"
grep -q '"duckdb_rows": 24' "$TMP/vt.json" || fail "DuckDB did not read 24 rows"
expect_eq "Spark table: scan" "$("$ICESTREAM" scan --warehouse "$WH" --location-map "$MAP" spark.rc | wc -l | tr -d ' ')" 24
finish
