#!/usr/bin/env bash
# Tables in S3-compatible storage: a real server (s3rver) on loopback, an s3:// warehouse
# through the SQLite catalog. Append, append, replace, then read back by independent
# clients: boto3 lists and copies the bucket, and DuckDB + icebird + avsc read that copy
# (verify_table.mjs). Credentials from --catalog-property and from AWS_* variables; a
# missing bucket is an error naming it. Through a fault proxy: injected 503 SlowDown and
# connection resets are retried (the load commits, rows exact); a multipart upload whose
# part is refused is aborted (AbortMultipartUpload seen, no object, nothing committed);
# the server killed after the first part: no object appears, nothing is committed. A
# large load streams as a multipart upload and reads back. Finally every output, log,
# catalog file and stored object is searched for the secret key and session token.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_s3.bash"
if ! have_s3rver || ! have_duckdb; then
  echo "SKIP: node, tests/interop/node_modules (s3rver, DuckDB) or python3-boto3 missing"
  exit 0
fi

SECRET="s3io-SeCrEt-$RANDOM$RANDOM$RANDOM"
TOKEN="s3io-ToKeN-$RANDOM$RANDOM$RANDOM"
ALL=$TMP/all-output.log
CAT=sqlite:$TMP/catalog.db
s3_start

# s3 ARGS...: icestream with the S3 catalog options (endpoint $EP), every output kept.
EP=
s3() {
  local cmd=$1
  shift
  run "$cmd" --warehouse "s3://$S3_BUCKET/wh" --catalog "$CAT" \
    --catalog-property "s3.endpoint=http://127.0.0.1:${EP:-$S3_PORT}" \
    --catalog-property s3.access-key-id=S3RVER \
    --catalog-property "s3.secret-access-key=$SECRET" \
    --catalog-property "s3.session-token=$TOKEN" \
    --catalog-property s3.max-attempts=6 "$@"
  cat "$TMP/out" "$TMP/err" >>"$ALL"
}
s3_snapcount() {
  s3 snapshots --json "$1"
  jget "$TMP/out" "len(d)" 2>/dev/null || echo x
}
s3_rows() {
  s3 scan "$1"
  wc -l <"$TMP/out" | tr -d ' '
}
data_objects() {
  boto keys "wh/$1/data/" | grep -c '\.parquet ' || true
}

duck "COPY (SELECT i::BIGINT AS id, 'name ' || i AS name, (i * 0.5)::DOUBLE AS x
        FROM range(3000) t(i)) TO '$TMP/one.parquet' (FORMAT parquet)" \
     "COPY (SELECT (100000 + i)::BIGINT AS id, 'other ' || i AS name, i::DOUBLE AS x
        FROM range(1234) t(i)) TO '$TMP/two.parquet' (FORMAT parquet)" \
     "COPY (SELECT i::BIGINT AS id, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS name,
        random() AS x FROM range(400000) t(i)) TO '$TMP/big.parquet'
        (FORMAT parquet, COMPRESSION uncompressed)" >/dev/null ||
  fail "generating inputs with DuckDB"
big_bytes=$(stat -c %s "$TMP/big.parquet")
[ "$big_bytes" -gt $((11 * 1024 * 1024)) ] || fail "big input only $big_bytes bytes"

# 1. append, append, replace into s3://lake/wh/db/t
s3 load --json db.t "$TMP/one.parquet"
expect_ok "first load into s3://"
expect_eq "first load rows" "$(jget "$TMP/out" "d['rows_written']")" 3000
expect_eq "first load created" "$(jget "$TMP/out" "d['table_created']")" True
meta=$(jget "$TMP/out" "d['metadata_location']")
case "$meta" in s3://$S3_BUCKET/wh/db/t/metadata/*.metadata.json) ;; *) fail "metadata at $meta" ;; esac
s3 load --json db.t "$TMP/two.parquet"
expect_ok "append into s3://"
expect_eq "append operation" "$(jget "$TMP/out" "d['operation']")" append
expect_eq "rows after append" "$(s3_rows db.t)" 4234
s3 load --json --mode replace db.t "$TMP/two.parquet"
expect_ok "replace in s3://"
expect_eq "replace operation" "$(jget "$TMP/out" "d['operation']")" overwrite
expect_eq "replace removed files" "$(jget "$TMP/out" "d['data_files_removed']")" 2
expect_eq "snapshots" "$(s3_snapcount db.t)" 3
expect_eq "rows after replace" "$(s3_rows db.t)" 1234
s3 scan db.t
cp "$TMP/out" "$TMP/scan.jsonl"
duck "SELECT * FROM read_parquet('$TMP/two.parquet')" >"$TMP/two.jsonl"
python3 - "$TMP/scan.jsonl" "$TMP/two.jsonl" <<'PY' || fail "scan of the s3:// table differs from its input"
import json, sys
def rows(path):
    return sorted((int(r["id"]), r["name"], float(r["x"])) for r in map(json.loads, open(path)))
got, want = rows(sys.argv[1]), rows(sys.argv[2])
sys.exit(0 if got == want and len(got) == 1234 else 1)
PY
s3 describe --json db.t
expect_eq "table location" "$(jget "$TMP/out" "d['location']")" "s3://$S3_BUCKET/wh/db/t"

# 2. independent readers: boto3 copies the bucket, DuckDB/icebird/avsc read the copy
boto copy wh/db/t/ "$TMP/copy" || fail "boto3 could not copy the table"
meta=$(jget <(s3 describe --json db.t; cat "$TMP/out") "d['metadata-location']")
node "$INTEROP_DIR/verify_table.mjs" "$TMP/copy/$S3_BUCKET${meta#s3://$S3_BUCKET}" \
  --map "s3://$S3_BUCKET=$TMP/copy/$S3_BUCKET" >"$TMP/report.json" 2>&1 ||
  fail "verify_table: $(head -c 1500 "$TMP/report.json")"
grep -q '"icebird_rows": 1234' "$TMP/report.json" || fail "icebird: $(head -c 800 "$TMP/report.json")"
grep -q '"duckdb_rows": 1234' "$TMP/report.json" || fail "DuckDB: $(head -c 800 "$TMP/report.json")"
grep -q '"snapshots": 3' "$TMP/report.json" || fail "snapshots: $(head -c 800 "$TMP/report.json")"

# 3. credentials from the environment; a missing bucket names bucket and key
AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY="$SECRET" AWS_SESSION_TOKEN="$TOKEN" \
  run describe --warehouse "s3://$S3_BUCKET/wh" --catalog "$CAT" \
  --catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT" db.t
cat "$TMP/out" "$TMP/err" >>"$ALL"
expect_ok "describe with AWS_* credentials"
run describe --warehouse "s3://$S3_BUCKET/wh" --catalog "$CAT" \
  --catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT" db.t
expect_error "no credentials at all" 1 "no credentials"
run load --warehouse s3://no-such-bucket/wh --catalog "sqlite:$TMP/other.db" \
  --catalog-property "s3.endpoint=http://127.0.0.1:$S3_PORT" \
  --catalog-property s3.access-key-id=S3RVER \
  --catalog-property "s3.secret-access-key=$SECRET" db.t "$TMP/two.parquet"
cat "$TMP/out" "$TMP/err" >>"$ALL"
expect_error "missing bucket" 1 "bucket no-such-bucket does not exist"
run load --warehouse s3://$S3_BUCKET/wh db.t "$TMP/two.parquet"
expect_error "s3 warehouse without a catalog" 2 "give the catalog"

# 4. injected 503 SlowDown and connection resets are retried
proxy_start --slowdown-every 3 --reset-every 5
EP=$PROXY_PORT s3 load --json db.t "$TMP/one.parquet"
expect_ok "load through a faulty network"
proxy_stop
n503=$(grep -c 'injected 503' "$TMP/proxy.log")
nreset=$(grep -c 'injected reset' "$TMP/proxy.log")
[ "$n503" -gt 0 ] && [ "$nreset" -gt 0 ] || fail "no faults injected ($n503 503s, $nreset resets)"
echo "faulty network: $n503 SlowDown, $nreset resets, $(wc -l <"$TMP/proxy.log") requests"
expect_eq "rows after the faulty load" "$(s3_rows db.t)" 4234
expect_eq "snapshots after the faulty load" "$(s3_snapcount db.t)" 4

# 5. a multipart upload whose second part is refused is aborted; nothing committed
before=$(data_objects db/t)
proxy_start --fail-part 2
EP=$PROXY_PORT s3 load --catalog-property s3.multipart.part-size=5242880 db.t "$TMP/big.parquet"
expect_error "refused part" 1 "InvalidPart"
proxy_stop
grep -q '^POST .*uploads' "$TMP/proxy.log" || fail "no multipart upload was started"
# s3rver answers AbortMultipartUpload with 405 (not implemented); the request is what counts.
grep -q '^DELETE .*uploadId=' "$TMP/proxy.log" ||
  fail "the upload was not aborted: $(grep -v 'GET\|HEAD' "$TMP/proxy.log" | tail -5)"
expect_eq "no data object after the aborted upload" "$(data_objects db/t)" "$before"
expect_eq "snapshots after the aborted upload" "$(s3_snapcount db.t)" 4

# 6. the server killed after the first part: no object appears, nothing committed
proxy_start --kill-after-parts 1 --kill-pid "$S3_PID"
EP=$PROXY_PORT s3 load --catalog-property s3.multipart.part-size=5242880 \
  --catalog-property s3.max-attempts=3 db.t "$TMP/big.parquet"
expect_error "server killed mid-upload" 1 ""
grep -q 'killed the server' "$TMP/proxy.log" || fail "the proxy did not kill the server"
proxy_stop
wait "$S3_PID" 2>/dev/null
s3_start "$S3_PORT"
expect_eq "no data object after the kill" "$(data_objects db/t)" "$before"
expect_eq "snapshots after the kill" "$(s3_snapcount db.t)" 4
expect_eq "rows after the kill" "$(s3_rows db.t)" 4234

# 7. a large load streams as a multipart upload and reads back
proxy_start
EP=$PROXY_PORT s3 load --json --catalog-property s3.multipart.part-size=5242880 db.big \
  "$TMP/big.parquet"
expect_ok "multipart load"
proxy_stop
parts=$(grep -c '^PUT .*partNumber=' "$TMP/proxy.log")
[ "$parts" -ge 2 ] || fail "the large file went up in $parts parts"
expect_eq "large load rows" "$(s3_rows db.big)" 400000
rm -rf "$TMP/copy" && boto copy wh/db/big/ "$TMP/copy"
meta=$(jget <(s3 describe --json db.big; cat "$TMP/out") "d['metadata-location']")
node "$INTEROP_DIR/verify_table.mjs" "$TMP/copy/$S3_BUCKET${meta#s3://$S3_BUCKET}" \
  --map "s3://$S3_BUCKET=$TMP/copy/$S3_BUCKET" >"$TMP/report.json" 2>&1 ||
  fail "verify_table (large): $(head -c 1500 "$TMP/report.json")"
grep -q '"duckdb_rows": 400000' "$TMP/report.json" || fail "DuckDB (large): $(head -c 800 "$TMP/report.json")"

# 8. drop --purge deletes the table's objects
s3 drop --purge db.big
expect_ok "drop --purge"
expect_eq "objects left after purge" "$(boto keys wh/db/big/ | wc -l | tr -d ' ')" 0

# 9. the secret and the session token appear nowhere
cp "$TMP/catalog.db" "$TMP/catalog.copy" 2>/dev/null
leaks=$(grep -rlaF -e "$SECRET" "$TMP" 2>/dev/null)
[ -z "$leaks" ] || fail "secret key found in: $leaks"
# The session token is sent to the server (x-amz-security-token) by design, and s3rver
# keeps the headers of unfinished uploads; nothing of ours may hold it.
leaks=$(grep -rlaF -e "$TOKEN" "$TMP" 2>/dev/null | grep -v "^$S3_DIR/")
[ -z "$leaks" ] || fail "session token found in: $leaks"
grep -rqaF -e "$TOKEN" "$S3_DIR" || fail "the session token never reached the server"
[ -s "$ALL" ] || fail "no output was collected"
finish
