#!/usr/bin/env bash
# The merge and partitioned-load scenario of lib_s3_tables.bash on s3:// tables (s3rver
# on loopback) through the PostgreSQL catalog (a private server, lib_pg.bash): rows
# exact, read back by DuckDB and icebird from boto3's copy of the bucket, partition
# values recomputed, nothing left behind by a refused merge or a failed load; the
# catalog's row names the current s3:// metadata file.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
source "$(dirname "$0")/lib_pg.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi
SECRET="s3pgt-SeCrEt-$RANDOM$RANDOM"
pg_start
trap 's3_stop; proxy_stop; pg_stop' EXIT # pg_stop removes $TMP
source "$(dirname "$0")/lib_s3_tables.bash"
s3_start

s3t() {
  local cmd=$1
  shift
  run "$cmd" --warehouse "s3://$S3_BUCKET/wh" --catalog "$PG_URI" \
    --catalog-property "s3.endpoint=http://127.0.0.1:${S3T_PORT:-$S3_PORT}" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property "s3.secret-access-key=$SECRET" "$@"
}

s3_tables_scenario pg
for t in cow mor part; do
  s3t describe --json "pg.$t"
  case $(jget "$TMP/out" "d['metadata-location']") in
    "s3://$S3_BUCKET/wh/pg/$t/metadata/"*.metadata.json) ;;
    *) fail "pg.$t: metadata not in the bucket: $(head -c 300 "$TMP/out")" ;;
  esac
  expect_eq "pg.$t: the catalog row names the current metadata" \
    "$(pgq "SELECT metadata_location FROM iceberg_tables WHERE table_namespace = 'pg' AND table_name = '$t'")" \
    "$(jget "$TMP/out" "d['metadata-location']")"
done
finish
