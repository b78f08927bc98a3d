#!/usr/bin/env bash
# `icestream serve --warehouse s3://…` (s3rver on loopback, lib_s3.bash) and icestream's
# REST client: append, replace and merge into an s3:// table; rows exact through REST,
# snapshot operations; boto3 copies the table and DuckDB + icebird + avsc read the copy
# (verify_table.mjs). Vended credentials: a client with no S3 settings of its own creates
# a table (the stage-create answer carries them), appends and replaces through serve,
# which hands its s3.* settings only to a request carrying
# X-Iceberg-Access-Delegation: vended-credentials. The S3 secret appears in no output.
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
SECRET="s3rest-SeCrEt-$RANDOM$RANDOM"
ALL=$TMP/all-output.log
s3_start
S3PROPS=(--catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT"
  --catalog-property s3.access-key-id=S3RVER
  --catalog-property "s3.secret-access-key=$SECRET")

D=$TMP/in
mkdir -p "$D"
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b'),(3,'c')) t(id,s)"
pq b "SELECT * FROM (VALUES (4,'d'),(5,'e')) t(id,s)"
pq c "SELECT * FROM (VALUES (10,'x'),(11,'y')) t(id,s)"
pq m "SELECT * FROM (VALUES (11,'Y'),(12,'z')) t(id,s)"

start_serve s3 --warehouse "s3://$S3_BUCKET/wh" --catalog "sqlite:$TMP/cat.db" "${S3PROPS[@]}"
# rs CMD ARGS...: the command through serve, with the client's own S3 settings.
rs() {
  local cmd=$1
  shift
  run "$cmd" --catalog "$SERVE_URL" "${S3PROPS[@]}" "$@"
  cat "$TMP/out" "$TMP/err" >>"$ALL"
}

rs load db.t "$D/a.parquet"
expect_ok "append a (creates the s3:// table)"
rs load db.t "$D/b.parquet"
expect_ok "append b"
rs scan db.t
expect_eq "rows after appends" "$(sort "$TMP/out")" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}
{"id":4,"s":"d"}
{"id":5,"s":"e"}'
rs load --mode replace db.t "$D/c.parquet"
expect_ok "replace"
rs load --mode merge --merge-key id db.t "$D/m.parquet"
expect_ok "merge"
rs scan db.t
want='{"id":10,"s":"x"}
{"id":11,"s":"Y"}
{"id":12,"s":"z"}'
expect_eq "rows after replace + merge" "$(sort "$TMP/out")" "$want"
rs snapshots --json db.t
expect_eq "snapshot operations" "$(jget "$TMP/out" "' '.join(s['summary']['operation'] for s in d)")" \
  "append append overwrite overwrite"
rs describe --json db.t
meta=$(jget "$TMP/out" "d['metadata-location']")
case $meta in
  "s3://$S3_BUCKET/wh/db/t/metadata/"*.metadata.json) ;;
  *) fail "metadata location not in the bucket: $meta" ;;
esac
[ -z "$(find "$TMP" -path "$S3_DIR" -prune -o -name '*.parquet' -newer "$D/m.parquet" -print)" ] ||
  fail "table files written to local disk"

boto copy wh/db/t/ "$TMP/copy" || fail "boto3 could not copy the table"
node "$INTEROP_DIR/verify_table.mjs" "$TMP/copy/$S3_BUCKET${meta#s3://$S3_BUCKET}" \
  --map "s3://$S3_BUCKET=$TMP/copy/$S3_BUCKET" >"$TMP/report.json" 2>&1 ||
  fail "verify_table: $(head -c 1500 "$TMP/report.json")"
grep -q '"icebird_rows": 3' "$TMP/report.json" || fail "icebird: $(head -c 800 "$TMP/report.json")"
grep -q '"duckdb_rows": 3' "$TMP/report.json" || fail "DuckDB: $(head -c 800 "$TMP/report.json")"

# Vended credentials: no --catalog-property s3.*, no AWS_* variables.
bare() {
  local cmd=$1
  shift
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
    -u AWS_ENDPOINT_URL -u AWS_REGION -u AWS_DEFAULT_REGION \
    "$ICESTREAM" "$cmd" --catalog "$SERVE_URL" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  cat "$TMP/out" "$TMP/err" >>"$ALL"
}
bare load db.t "$D/a.parquet"
expect_ok "append with vended credentials"
bare scan db.t
expect_eq "rows after the vended append" "$(sort "$TMP/out")" '{"id":1,"s":"a"}
{"id":10,"s":"x"}
{"id":11,"s":"Y"}
{"id":12,"s":"z"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}'
bare load --mode replace db.t "$D/b.parquet"
expect_ok "replace with vended credentials"
bare scan db.t
expect_eq "rows after the vended replace" "$(sort "$TMP/out")" '{"id":4,"s":"d"}
{"id":5,"s":"e"}'
bare snapshots --json db.t
expect_eq "snapshots after vended loads" "$(jget "$TMP/out" "len(d)")" 6
# A load that creates its table: the stage-create answer vends the settings before the
# data files are written.
bare load --json db.vended "$D/c.parquet"
expect_ok "create an s3:// table with vended credentials"
expect_eq "the load created the table" "$(jget "$TMP/out" "d['table_created']")" True
case $(jget "$TMP/out" "d['metadata_location']") in
  "s3://$S3_BUCKET/wh/db/vended/metadata/"*.metadata.json) ;;
  *) fail "vended create: metadata not in the bucket: $(cat "$TMP/out")" ;;
esac
bare scan db.vended
expect_eq "rows of the vended create" "$(sort "$TMP/out")" '{"id":10,"s":"x"}
{"id":11,"s":"y"}'
bare load db.vended "$D/m.parquet"
expect_ok "append to it with vended credentials"
bare snapshots --json db.vended
expect_eq "snapshots of the vended create" "$(jget "$TMP/out" "len(d)")" 2
[ -n "$(find "$S3_DIR" -path '*wh/db/vended/data/*' -name '*.parquet*' | head -1)" ] ||
  fail "the vended table's data files are not in the bucket"
# Without the header serve vends nothing; with it, the table config holds the settings.
python3 - "$SERVE_URL/v1/namespaces/db/tables/t" "$S3_PORT" >"$TMP/vend.check" 2>&1 <<'PYEOF' ||
import json, sys, urllib.request
url, port = sys.argv[1], sys.argv[2]
def cfg(headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        return json.load(r)["config"]
plain = cfg({})
vended = cfg({"X-Iceberg-Access-Delegation": "vended-credentials"})
ok = plain == {} and vended.get("s3.access-key-id") == "S3RVER" and \
     vended.get("s3.endpoint") == f"http://127.0.0.1:{port}" and "s3.secret-access-key" in vended
print("ok" if ok else f"plain keys {sorted(plain)}, vended keys {sorted(vended)}")
sys.exit(0 if ok else 1)
PYEOF
  fail "vending: $(cat "$TMP/vend.check")"

# A purge whose deletes the store refuses (credentials without s3:DeleteObject): the
# table is already dropped by then, so the answer is a 500 saying so, not a 403 that
# would tell the client the table is still there.
MAIN_URL=$SERVE_URL
rs load db.gone "$D/a.parquet"
expect_ok "load db.gone"
proxy_start --deny-deletes 1
start_serve deny --warehouse "s3://$S3_BUCKET/wh" --catalog "sqlite:$TMP/cat.db" \
  --catalog-property "s3.endpoint=http://127.0.0.1:$PROXY_PORT" \
  --catalog-property s3.access-key-id=S3RVER --catalog-property "s3.secret-access-key=$SECRET"
python3 - "$SERVE_URL" "$MAIN_URL" >"$TMP/deny.check" 2>&1 <<'PYEOF' ||
import json, sys, urllib.request, urllib.error
deny, main = sys.argv[1], sys.argv[2]
path = "/v1/namespaces/db/tables/gone"
try:
    urllib.request.urlopen(urllib.request.Request(deny + path + "?purgeRequested=true", method="DELETE"))
    status, msg = 204, ""
except urllib.error.HTTPError as e:
    status, msg = e.code, json.loads(e.read())["error"]["message"]
try:
    urllib.request.urlopen(urllib.request.Request(main + path, method="HEAD"))
    exists = 204
except urllib.error.HTTPError as e:
    exists = e.code
ok = status == 500 and "was dropped" in msg and exists == 404
print("ok" if ok else f"purge {status} {msg!r}, table afterwards {exists}")
sys.exit(0 if ok else 1)
PYEOF
  fail "purge with deletes refused: $(cat "$TMP/deny.check")"
grep -q 'injected 403' "$TMP/proxy.log" || fail "the proxy refused no delete"
cat "$TMP"/deny.out "$TMP"/deny.err >>"$ALL"

cat "$TMP"/s3.out "$TMP"/s3.err >>"$ALL"
grep -q "$SECRET" "$ALL" && fail "the S3 secret appears in the output"
grep -rq "$SECRET" "$S3_DIR" && fail "the S3 secret is stored in the bucket"
finish
