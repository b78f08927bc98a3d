#!/usr/bin/env bash
# An s3:// warehouse (s3rver on loopback, lib_s3.bash) through the PostgreSQL catalog
# (a private server, lib_pg.bash): append, append with --load-id twice, replace; the row
# names the s3:// metadata file; boto3 copies the table and DuckDB + icebird + avsc read
# the copy (verify_table.mjs); the S3 secret and the database password appear nowhere.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
source "$(dirname "$0")/lib_pg.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi
SECRET="s3pg-SeCrEt-$RANDOM$RANDOM"
PGSECRET="pg-SeCrEt-$RANDOM$RANDOM"
ALL=$TMP/all-output.log
pg_start
trap 's3_stop; pg_stop' EXIT # pg_stop removes $TMP
s3_start
pgq "ALTER ROLE $PG_USER PASSWORD '$PGSECRET'" >/dev/null
CAT="postgresql://$PG_USER:$PGSECRET@127.0.0.1:$PG_PORT/cat"

s3() {
  local cmd=$1
  shift
  run "$cmd" --warehouse "s3://$S3_BUCKET/wh" --catalog "$CAT" \
    --catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property "s3.secret-access-key=$SECRET" "$@"
  cat "$TMP/out" "$TMP/err" >>"$ALL"
}

duck "COPY (SELECT i::BIGINT AS id, 'name ' || i AS name FROM range(1000) t(i)) TO '$TMP/one.parquet' (FORMAT parquet)" \
  "COPY (SELECT (5000 + i)::BIGINT AS id, 'other ' || i AS name FROM range(234) t(i)) TO '$TMP/two.parquet' (FORMAT parquet)" >/dev/null ||
  fail "generating inputs"

s3 load --json db.t "$TMP/one.parquet"
expect_ok "load into s3:// through PostgreSQL"
s3 load --json --load-id L2 db.t "$TMP/two.parquet"
expect_ok "append"
s3 load --json --load-id L2 db.t "$TMP/two.parquet"
expect_ok "append again"
expect_eq "already loaded" "$(jget "$TMP/out" "d['already_loaded_snapshot_id'] is not None")" True
s3 snapshots --json db.t
expect_eq "snapshots" "$(jget "$TMP/out" "len(d)")" 2
expect_eq "row names the s3 file" "$(pgq "SELECT metadata_location LIKE 's3://$S3_BUCKET/wh/db/t/metadata/00001-%.metadata.json' FROM iceberg_tables")" t
s3 scan db.t
expect_eq "rows" "$(wc -l <"$TMP/out" | tr -d ' ')" 1234
s3 load --json --mode replace db.t "$TMP/two.parquet"
expect_ok "replace"
s3 scan db.t
cp "$TMP/out" "$TMP/scan.jsonl"
expect_eq "replaced rows" "$(wc -l <"$TMP/scan.jsonl" | tr -d ' ')" 234

boto copy wh/db/t/ "$TMP/copy" || fail "boto3 could not copy the table"
meta=$(pgq "SELECT metadata_location FROM iceberg_tables")
node "$INTEROP_DIR/verify_table.mjs" "$TMP/copy/$S3_BUCKET${meta#s3://$S3_BUCKET}" \
  --map "s3://$S3_BUCKET=$TMP/copy/$S3_BUCKET" >"$TMP/report.json" 2>&1 ||
  fail "verify_table: $(head -c 1500 "$TMP/report.json")"
grep -q '"icebird_rows": 234' "$TMP/report.json" || fail "icebird: $(head -c 800 "$TMP/report.json")"
grep -q '"duckdb_rows": 234' "$TMP/report.json" || fail "DuckDB: $(head -c 800 "$TMP/report.json")"

grep -q "$SECRET" "$ALL" && fail "the S3 secret appears in the output"
grep -q "$PGSECRET" "$ALL" && fail "the database password appears in the output"
grep -rq "$SECRET" "$S3_DIR" && fail "the S3 secret is stored in the bucket"
finish
