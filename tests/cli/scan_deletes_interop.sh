#!/usr/bin/env bash
# `icestream scan` of tables with delete files returns exactly the rows that readers we
# did not write compute (tests/interop/check_scan.mjs: DuckDB applying the spec's delete
# rules in SQL, and icebird): Java's and Spark's bunnies (position deletes, an equality
# delete, a rewritten file the old position delete must not touch), read from their
# metadata files with the s3a:// locations mapped onto tests/data (also Spark's
# partitioned rename_column and Athena's example, which have no deletes), and the table
# test_api_scan_deletes builds with our own writers (position and equality deletes across
# sequence numbers; icebird is skipped there: it ignores sequence numbers of position
# deletes).
source "$(dirname "$0")/lib_cli.bash"
SRC=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
INTEROP=$SRC/tests/interop
UNIT=${ICE_BUILD_DIR:-$(dirname "$ICESTREAM")}/test_api_scan_deletes
if ! command -v node >/dev/null || [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
T=$TESTDATA/iceberg-tables

# TABLE METADATA PREFIX: the deletes tables, then a partitioned Spark table with a
# renamed column and Athena's table (no deletes: partitions and field-id matching).
while read -r t m prefix; do
  map="$prefix=$T/$t"
  meta=$T/$t/metadata/$m
  run scan --metadata "$meta" --location-map "$map"
  expect_ok "scan $t"
  cp "$TMP/out" "$TMP/rows.jsonl"
  node "$INTEROP/check_scan.mjs" "$meta" --map "$map" --expect-jsonl "$TMP/rows.jsonl" \
    >"$TMP/check" 2>&1 || fail "$t: $(cat "$TMP/check")"
  # The check must be able to fail: one row less is a mismatch.
  sed 1d "$TMP/rows.jsonl" >"$TMP/fewer.jsonl"
  node "$INTEROP/check_scan.mjs" "$meta" --map "$map" --expect-jsonl "$TMP/fewer.jsonl" \
    >/dev/null 2>&1 && fail "$t: check_scan accepted a missing row"
done <<'LIST'
java/bunnies v5.metadata.json s3a://hyperparam-iceberg/java/bunnies
spark/bunnies v5.metadata.json s3a://hyperparam-iceberg/spark/bunnies
spark/rename_column v3.metadata.json s3a://hyperparam-iceberg/spark/rename_column
athena/example 00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json s3://hyperparam-iceberg/athena/example
LIST

[ -x "$UNIT" ] || { fail "$UNIT not built"; finish; }
mkdir -p "$TMP/mixed"
ICE_SCAN_DELETES_DIR="$TMP/mixed" "$UNIT" >"$TMP/unit.log" 2>&1 ||
  fail "test_api_scan_deletes: $(tail -5 "$TMP/unit.log")"
meta=$(cat "$TMP/mixed/metadata_file" 2>/dev/null)
[ -n "$meta" ] || { fail "no metadata file written"; finish; }
map="file:$(dirname "$(dirname "$meta")")=$TMP/mixed/t"
ICESTREAM_LOCATION_MAP=$map run scan --metadata "$TMP/mixed/t/metadata/v1.metadata.json"
expect_ok "scan of the mixed-deletes table"
cp "$TMP/out" "$TMP/mixed.jsonl"
node "$INTEROP/check_scan.mjs" "$TMP/mixed/t/metadata/v1.metadata.json" --map "$map" \
  --expect-jsonl "$TMP/mixed.jsonl" --skip-icebird >"$TMP/check" 2>&1 ||
  fail "mixed table: $(cat "$TMP/check")"
finish
