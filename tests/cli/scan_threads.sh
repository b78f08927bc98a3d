#!/usr/bin/env bash
# `icestream scan --threads N` decodes each data file's columns on N threads and prints
# exactly what one thread prints, byte for byte: Java's and Spark's bunnies (position
# and equality deletes, read through the location map), the table test_api_scan_deletes
# builds (position and equality deletes across sequence numbers), and a merge-on-read
# table of 60000 DuckDB-written rows of many column types with position deletes from a
# merge (also under a small --memory-limit and with --columns / csv). --threads 0 is a
# usage error.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
T=$TESTDATA/iceberg-tables
UNIT=${ICE_BUILD_DIR:-$(dirname "$ICESTREAM")}/test_api_scan_deletes

# same_at_threads WHAT ROWS ARGS...: scans at --threads 1, 2 and 4 and by default; every
# output equals the first one, which has ROWS lines ("-" = any number).
same_at_threads() {
  local what=$1 want=$2
  shift 2
  run scan --threads 1 "$@"
  expect_ok "$what --threads 1"
  cp "$TMP/out" "$TMP/serial"
  if [ "$want" != - ]; then
    expect_eq "$what: rows" "$(wc -l <"$TMP/serial")" "$want"
  fi
  for t in 2 4 default; do
    if [ "$t" = default ]; then run scan "$@"; else run scan --threads "$t" "$@"; fi
    expect_ok "$what --threads $t"
    cmp -s "$TMP/serial" "$TMP/out" ||
      fail "$what: --threads $t differs from --threads 1: $(diff "$TMP/serial" "$TMP/out" | head -5)"
  done
}

# Live rows as scan_deletes_interop.sh checks them against DuckDB and icebird.
for t in java/bunnies:15 spark/bunnies:20; do
  name=${t%%:*}
  same_at_threads "$name" "${t##*:}" --metadata "$T/$name/metadata/v5.metadata.json" \
    --location-map "s3a://hyperparam-iceberg/$name=$T/$name"
done

if [ -x "$UNIT" ]; then
  mkdir -p "$TMP/mixed"
  ICE_SCAN_DELETES_DIR="$TMP/mixed" "$UNIT" >"$TMP/unit.log" 2>&1 ||
    fail "test_api_scan_deletes: $(tail -5 "$TMP/unit.log")"
  meta=$(cat "$TMP/mixed/metadata_file" 2>/dev/null)
  if [ -n "$meta" ]; then
    export ICESTREAM_LOCATION_MAP="file:$(dirname "$(dirname "$meta")")=$TMP/mixed/t"
    same_at_threads "mixed deletes" - --metadata "$TMP/mixed/t/metadata/v1.metadata.json"
    [ -s "$TMP/serial" ] || fail "mixed deletes: no rows"
    unset ICESTREAM_LOCATION_MAP
  else
    fail "test_api_scan_deletes wrote no metadata file"
  fi
else
  fail "$UNIT not built"
fi

if have_duckdb; then
  D=$TMP/in
  mkdir -p "$D"
  duck "COPY (SELECT i AS id, i % 1000 AS small, CASE WHEN i % 7 = 3 THEN NULL ELSE i * 1.5 END AS d,
          CASE WHEN i % 5 = 1 THEN NULL ELSE 'row-' || i END AS s, 'w' || (i % 13) AS word,
          i % 3 = 0 AS flag, [i, i + 1][1:(i % 3)] AS tags,
          {'x': i * 2, 'label': 'p' || (i % 17)} AS pt, DATE '2020-01-01' + (i % 900)::INT AS day
        FROM range(60000) t(i)) TO '$D/base.parquet' (FORMAT parquet, ROW_GROUP_SIZE 7000)" \
    >/dev/null || fail "duckdb: base.parquet"
  duck "COPY (SELECT id, small + 1 AS small, d, s, word, flag, tags, pt, day
        FROM read_parquet('$D/base.parquet') WHERE id % 9 = 4) TO '$D/upd.parquet' (FORMAT parquet)" \
    >/dev/null || fail "duckdb: upd.parquet"
  run load --warehouse "$WH" db.wide "$D/base.parquet" --property write.merge.mode=merge-on-read \
    --progress never
  expect_ok "load of the wide table"
  run load --warehouse "$WH" --mode merge --merge-key id db.wide "$D/upd.parquet" --json \
    --progress never
  expect_ok "merge into the wide table"
  expect_eq "merge wrote position deletes" "$(jget "$TMP/out" "d['delete_files_added'] > 0")" True
  same_at_threads "wide table" 60000 --warehouse "$WH" db.wide
  grep -q '"id":4,"small":5,' "$TMP/serial" || fail "wide table: the merged row is not read"
  same_at_threads "wide table, 2M budget" 60000 --warehouse "$WH" --memory-limit 2M db.wide
  same_at_threads "wide table, csv projection" 60001 --warehouse "$WH" --format csv \
    --columns pt,id,tags db.wide
else
  echo "SKIP: the wide table needs DuckDB (tests/interop/node_modules)"
fi

run scan --threads 0 --warehouse "$WH" db.wide
expect_error "--threads 0" 2 "--threads"
run scan --threads 257 --warehouse "$WH" db.wide
expect_error "--threads 257" 2 "--threads"
run scan --help
grep -q -- "--threads N" "$TMP/out" || fail "scan --help lacks --threads"
finish
