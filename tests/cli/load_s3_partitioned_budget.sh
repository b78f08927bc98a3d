#!/usr/bin/env bash
# A partitioned load into S3-compatible storage (s3rver on loopback) under a small
# --memory-limit: every open data file holds a multipart part buffer (5 MiB here),
# charged to the load's one budget, so the router opens only as many writers as half
# the budget holds (16M / 2 / 5 MiB = 1; the default would be 4, whose parts could
# not fit). Six partitions of over 5 MiB each, in random order: every file goes up as
# a multipart upload, the load commits within its budget, and the rows read back.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
CAT=sqlite:$TMP/catalog.db
s3_start

s3() {
  local cmd=$1
  shift
  run "$cmd" --warehouse "s3://$S3_BUCKET/wh" --catalog "$CAT" \
    --catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property s3.secret-access-key=S3RVER \
    --catalog-property s3.multipart.part-size=5242880 "$@"
}

ROWS=600000
duck "SELECT setseed(0.5)" \
  "COPY (SELECT i::BIGINT AS id, (i % 6)::INTEGER AS p,
      md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS payload FROM range($ROWS) t(i)
      ORDER BY random()) TO '$TMP/in.parquet' (FORMAT parquet)" >/dev/null ||
  fail "DuckDB could not write the input"

s3 load --json --memory-limit 16M --partition-by p \
  --property write.parquet.compression-codec=uncompressed db.t "$TMP/in.parquet"
expect_ok "partitioned load into s3:// at 16M"
peak=$(jget "$TMP/out" "d['memory_peak_bytes']")
echo "budget peak $((peak / 1048576)) MiB, $(jget "$TMP/out" "d['rows_spilled']") rows spilled," \
  "$(jget "$TMP/out" "d['data_files_added']") files"
[ "$peak" -le $((16 * 1048576)) ] || fail "the load held $peak bytes, over its 16M budget"
# Parts were held: the budget saw at least one of them.
[ "$peak" -ge 5242880 ] || fail "budget peak $peak below one S3 part: parts not charged"
expect_eq "partitions" "$(jget "$TMP/out" "d['partitions_written']")" 6
[ "$(jget "$TMP/out" "d['rows_spilled']")" -gt 0 ] || fail "one writer open, yet nothing spilled"
s3 scan db.t
expect_eq "rows read back" "$(wc -l <"$TMP/out" | tr -d ' ')" $ROWS
# Every data file is over a part, so each went up in parts (objects of 5 MiB and more).
small=$(boto keys wh/db/t/data/ | awk '/\.parquet / && $2 < 5242880' | wc -l)
expect_eq "data files under one part" "$small" 0
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary runs left: $(ls "$TMPDIR")"

finish
