#!/usr/bin/env bash
# Appending into a table Spark wrote, read back by readers we did not write: the unit test
# test_api_spark_table registers a copy of tests/data/iceberg-tables/spark/bunnies
# in a fresh catalog and appends to it; here tests/interop/verify_table.mjs (avsc for the
# manifests, DuckDB for the data files, icebird for the whole table, with the table's
# s3a:// prefix mapped onto the copy) must read 2 x 21 rows and find no problem.
source "$(dirname "$0")/lib_cli.bash"
SRC=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
INTEROP=$SRC/tests/interop
UNIT=${ICE_BUILD_DIR:-$(dirname "$ICESTREAM")}/test_api_spark_table
if ! command -v node >/dev/null || [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
[ -x "$UNIT" ] || { fail "$UNIT not built"; finish; }

mkdir -p "$TMP/out"
ICE_SPARK_INTEROP_DIR="$TMP/out" "$UNIT" >"$TMP/unit.log" 2>&1 || fail "test_api_spark_table: $(tail -5 "$TMP/unit.log")"
meta=$(cat "$TMP/out/metadata_location" 2>/dev/null)
[ -n "$meta" ] || { fail "no metadata location written"; finish; }

# icebird turns s3a://BUCKET/... into https://BUCKET.s3.amazonaws.com/...; verify_table maps
# both when given the bare bucket, so lay the copy out as BUCKET/spark/bunnies.
mkdir -p "$TMP/bucket/spark"
mv "$TMP/out/bunnies" "$TMP/bucket/spark/bunnies"
bucket=s3a://hyperparam-iceberg
local_meta=$TMP/bucket${meta#"$bucket"}
node "$INTEROP/verify_table.mjs" "$local_meta" --map "$bucket=$TMP/bucket" \
  >"$TMP/report.json" 2>&1 || fail "verify_table: $(head -c 1500 "$TMP/report.json")"
grep -q '"icebird_rows": 42' "$TMP/report.json" || fail "icebird did not read 42 rows: $(head -c 1500 "$TMP/report.json")"
grep -q '"duckdb_rows": 42' "$TMP/report.json" || fail "DuckDB did not read 42 rows: $(head -c 1500 "$TMP/report.json")"
finish
