#!/usr/bin/env bash
# The independent partition check (tests/interop/check_partitions.mjs: its own Murmur3 and
# transforms in JS, DuckDB reading the data files) passes its self-test and Spark's
# partitioned table (bucket[4](id), identity(date) with a null date), and reports a data
# file whose rows belong to another partition than its manifest entry says. It is the
# oracle for the partitioned tables icestream will write. Then check_partition_keys.mjs:
# icestream's partition keys of 3000 random rows under every transform, against the
# same JS transforms.
source "$(dirname "$0")/lib_cli.bash"
INTEROP=$(cd "$(dirname "$0")/../interop" && pwd)
[ -d "$INTEROP/node_modules/@duckdb" ] || { echo "tests/interop/node_modules missing: (cd tests/interop && npm ci)" >&2; exit 1; }
PREFIX=s3a://hyperparam-iceberg/spark/rename_column

node "$INTEROP/check_partitions.mjs" --self-test >"$TMP/self.json" 2>&1 ||
  fail "self-test: $(cat "$TMP/self.json")"

cp -r "$TESTDATA/iceberg-tables/spark/rename_column" "$TMP/t"
META=$TMP/t/metadata/v3.metadata.json
node "$INTEROP/check_partitions.mjs" "$META" --map "$PREFIX=$TMP/t" >"$TMP/ok.json" 2>&1 ||
  fail "Spark's table: $(head -c 1500 "$TMP/ok.json")"
grep -q '"rows": 4' "$TMP/ok.json" || fail "not every row was checked: $(cat "$TMP/ok.json")"
grep -q '"partitioned_files": 3' "$TMP/ok.json" || fail "not every file was checked"

# The rows of partition id_bucket=2/date=2022-01-02 in the file of id_bucket=0/date=2022-01-01.
cp "$TMP"/t/data/id_bucket=2/date=2022-01-02/*.parquet "$TMP"/t/data/id_bucket=0/date=2022-01-01/*.parquet
if node "$INTEROP/check_partitions.mjs" "$META" --map "$PREFIX=$TMP/t" >"$TMP/bad.json" 2>&1; then
  fail "a file of another partition passed"
fi
grep -q 'id_bucket=0/date=2022-01-01/.*row 0: partition 2/18994, manifest says 0/18993' "$TMP/bad.json" ||
  fail "the report does not name the file and its partition: $(head -c 1500 "$TMP/bad.json")"

node "$INTEROP/check_partition_keys.mjs" >"$TMP/keys.json" 2>&1 ||
  fail "partition keys differ: $(head -c 2000 "$TMP/keys.json")"
grep -q '"keys_compared": 21000' "$TMP/keys.json" || fail "not every key was compared: $(cat "$TMP/keys.json")"

finish
