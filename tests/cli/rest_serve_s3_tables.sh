#!/usr/bin/env bash
# The merge and partitioned-load scenario of lib_s3_tables.bash on s3:// tables (s3rver
# on loopback) through `icestream serve --warehouse s3://…` and icestream's REST client:
# rows exact through REST, read back by DuckDB and icebird from boto3's copy of the
# bucket, partition values recomputed, nothing left behind by a refused merge or a
# failed load. serve vends its S3 settings, which take precedence over the client's
# own: the load sent through the fault proxy goes through a second serve on the same
# catalog whose endpoint is the proxy.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
source "$(dirname "$0")/lib_rest.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi
trap 's3_stop; proxy_stop; rest_cleanup' EXIT # rest_cleanup removes $TMP
SECRET="s3restt-SeCrEt-$RANDOM$RANDOM"
source "$(dirname "$0")/lib_s3_tables.bash"
s3_start

# serve_on PORT: a serve of the catalog whose S3 endpoint is PORT (started once per
# port, by the test's own shell: one started in a $(...) would be forgotten); sets URL.
declare -A SERVES=()
serve_on() {
  if [ -z "${SERVES[$1]:-}" ]; then
    [ "$BASH_SUBSHELL" -eq 0 ] || { fail "serve for port $1 first needed in a subshell"; exit 1; }
    start_serve "serve-$1" --warehouse "s3://$S3_BUCKET/wh" --catalog "sqlite:$TMP/cat.db" \
      --catalog-property "s3.endpoint=http://127.0.0.1:$1" \
      --catalog-property s3.access-key-id=S3RVER \
      --catalog-property "s3.secret-access-key=$SECRET"
    SERVES[$1]=$SERVE_URL
  fi
  URL=${SERVES[$1]}
}

s3t() {
  local cmd=$1 port=${S3T_PORT:-$S3_PORT}
  shift
  serve_on "$port"
  run "$cmd" --catalog "$URL" \
    --catalog-property "s3.endpoint=http://127.0.0.1:$port" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property "s3.secret-access-key=$SECRET" "$@"
}

serve_on "$S3_PORT"
s3_tables_scenario rest
s3t snapshots --json rest.part
expect_eq "rest.part: snapshot operations" \
  "$(jget "$TMP/out" "' '.join(s['summary']['operation'] for s in d)")" \
  "append append overwrite overwrite overwrite"
[ "${#SERVES[@]}" -eq 2 ] || fail "${#SERVES[@]} serve processes, want 2 (direct and through the proxy)"
for p in "${REST_PIDS[@]}"; do
  kill -0 "$p" 2>/dev/null || fail "a serve stopped: $(tail -c 300 "$TMP"/serve-*.err)"
done
finish
