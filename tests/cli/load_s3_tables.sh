#!/usr/bin/env bash
# Merge (copy-on-write and merge-on-read, hard deletes, a refused duplicate) and
# partitioned loads (append, overwrite-partitions, a failed load, replace) into s3://
# tables (s3rver on loopback) through the SQLite catalog: the scenario of
# lib_s3_tables.bash, rows exact, read back by DuckDB and icebird from boto3's copy of
# the bucket, partition values recomputed, nothing left behind.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi
source "$(dirname "$0")/lib_s3_tables.bash"
SECRET="s3t-SeCrEt-$RANDOM$RANDOM"
s3_start

s3t() {
  local cmd=$1
  shift
  run "$cmd" --warehouse "s3://$S3_BUCKET/wh" --catalog "sqlite:$TMP/catalog.db" \
    --catalog-property "s3.endpoint=http://127.0.0.1:${S3T_PORT:-$S3_PORT}" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property "s3.secret-access-key=$SECRET" "$@"
}

s3_tables_scenario db
finish
