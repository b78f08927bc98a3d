#!/usr/bin/env bash
# OAuth2 client credentials between icestream's REST client and `icestream serve
# --token-file F --token-lifetime S` (through the validating proxy). serve issues a new
# random token per request of POST /v1/oauth/tokens, valid S seconds (expires_in) and
# only in memory. (1) With S = 2 a load that sleeps 3 s between reading the table and
# committing (ICESTREAM_TEST_SLEEP_AT) refreshes its token before the commit: no 401,
# one new snapshot; a token past its lifetime is refused. (2) serve restarted while a
# load waits to commit has revoked the client's token: the commit is answered 401, the
# client fetches a new token and the commit lands exactly once. The client secret and
# the issued tokens appear in no output of the client or the server.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest && have_duckdb || { fail "needs tests/interop node_modules (npm ci)"; finish; }

WH=$TMP/wh
D=$TMP/in
ALL=$TMP/all-output.log
mkdir -p "$D"
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b')) t(id,s)"
pq b "SELECT * FROM (VALUES (3,'c')) t(id,s)"
pq c "SELECT * FROM (VALUES (4,'d')) t(id,s)"
TOKEN="tok-SeCrEt-$RANDOM$RANDOM$RANDOM"
printf '%s\n' "$TOKEN" >"$TMP/token"

# log_since N: the proxy log lines after the first N, as "METHOD op status".
log_since() {
  tail -n +"$(($1 + 1))" "$PROXY_LOG" | python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); print(r["method"], r["op"], r["status"])'
}
rows() {
  "$ICESTREAM" scan "${C[@]}" db.t 2>>"$ALL" | sort
}
snaps() {
  "$ICESTREAM" snapshots --json "${C[@]}" db.t >"$TMP/s.json" 2>>"$ALL" || { echo x; return; }
  jget "$TMP/s.json" "len(d)"
}

# ---- (1) a 2 s lifetime, a load that sleeps 3 s before its commit
start_serve short --warehouse "$WH" --token-file "$TMP/token" --token-lifetime 2
start_proxy short "$SERVE_URL"
C=(--catalog "$PROXY_URL" --catalog-property "credential=icestream:$TOKEN")
run load --json "${C[@]}" db.t "$D/a.parquet"
expect_ok "first load (creates db.t)"
cat "$TMP/out" "$TMP/err" >>"$ALL"
n0=$(wc -l <"$PROXY_LOG")
ICESTREAM_TEST_SLEEP_AT=data-written:3000 run load --json "${C[@]}" db.t "$D/b.parquet"
expect_ok "load across a sleep longer than the token lifetime"
cat "$TMP/out" "$TMP/err" >>"$ALL"
log_since "$n0" >"$TMP/l1"
expect_eq "no request was refused" "$(grep -c ' 401$' "$TMP/l1")" 0
[ "$(grep -c '^POST getToken 200$' "$TMP/l1")" -ge 2 ] ||
  fail "the token was not renewed before the commit: $(tr '\n' ';' <"$TMP/l1")"
expect_eq "the commit" "$(grep -c '^POST updateTable 200$' "$TMP/l1")" 1
expect_eq "snapshots after the sleepy load" "$(snaps)" 2
expect_eq "rows after the sleepy load" "$(rows)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}'
# The server enforces the lifetime: a token used after it is refused.
python3 - "$SERVE_URL" "$TOKEN" >"$TMP/exp.check" 2>&1 <<'PY' || fail "token expiry: $(cat "$TMP/exp.check")"
import json, sys, time, urllib.parse, urllib.request, urllib.error
base, secret = sys.argv[1], sys.argv[2]
form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "x",
                               "client_secret": secret}).encode()
with urllib.request.urlopen(urllib.request.Request(base + "/v1/oauth/tokens", data=form)) as r:
    j = json.load(r)
tok = j["access_token"]
def status():
    try:
        with urllib.request.urlopen(urllib.request.Request(base + "/v1/config",
                headers={"Authorization": "Bearer " + tok})) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
first = status()
# A token answer is never replayed under an Idempotency-Key: the same key brings a new
# token, and a catalog request with that key is not answered with a token.
def with_key(path, data):
    h = {"Idempotency-Key": "same-key", "Authorization": "Bearer " + tok}
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=h)) as r:
        return json.load(r)
t1, t2 = with_key("/v1/oauth/tokens", form), with_key("/v1/oauth/tokens", form)
ns = with_key("/v1/namespaces", json.dumps({"namespace": ["idem_ns"]}).encode())
fresh = t1["access_token"] != t2["access_token"] and "access_token" not in ns
time.sleep(2.5)
later = status()
ok = j["expires_in"] == 2 and tok != secret and first == 200 and later == 401 and fresh
print("ok" if ok else f"expires_in {j['expires_in']}, fresh {first}, expired {later}, "
      f"tokens not replayed {fresh}")
sys.exit(0 if ok else 1)
PY
cat "$TMP/short.out" "$TMP/short.err" >>"$ALL"
stop_pid "$SERVE_PID"

# ---- (2) serve restarted (every issued token revoked) while a load waits to commit
start_serve long --warehouse "$WH" --token-file "$TMP/token"
PORT=${SERVE_URL##*:}
start_proxy long "$SERVE_URL"
C=(--catalog "$PROXY_URL" --catalog-property "credential=icestream:$TOKEN")
before=$(find "$WH/db/t/data" -name '*.parquet' | wc -l)
n0=$(wc -l <"$PROXY_LOG")
ICESTREAM_TEST_SLEEP_AT=data-written:4000 "$ICESTREAM" load --json "${C[@]}" db.t "$D/c.parquet" \
  >"$TMP/load2.out" 2>"$TMP/load2.err" &
LOAD_PID=$!
for _ in $(seq 200); do
  [ "$(find "$WH/db/t/data" -name '*.parquet' | wc -l)" -gt "$before" ] && break
  sleep 0.02
done
stop_pid "$SERVE_PID"
cat "$TMP/long.out" "$TMP/long.err" >>"$ALL"
"$ICESTREAM" serve --listen "127.0.0.1:$PORT" --warehouse "$WH" --token-file "$TMP/token" \
  >"$TMP/again.out" 2>"$TMP/again.err" &
SERVE_PID=$!
REST_PIDS+=("$SERVE_PID")
for _ in $(seq 100); do
  grep -q '^listening on ' "$TMP/again.out" 2>/dev/null && break
  sleep 0.05
done
grep -q '^listening on ' "$TMP/again.out" || fail "serve did not restart: $(cat "$TMP/again.err")"
wait "$LOAD_PID"
rc=$?
cat "$TMP/load2.out" "$TMP/load2.err" >>"$ALL"
[ "$rc" -eq 0 ] || fail "load across the restart: exit $rc: $(head -c 400 "$TMP/load2.err")"
log_since "$n0" >"$TMP/l2"
grep -q '^POST updateTable 401$' "$TMP/l2" ||
  fail "the revoked token was not refused: $(tr '\n' ';' <"$TMP/l2")"
expect_eq "the commit landed once" "$(grep -c '^POST updateTable 200$' "$TMP/l2")" 1
expect_eq "401 then a new token then the commit" \
  "$(grep -A2 '^POST updateTable 401$' "$TMP/l2" | tr '\n' ';')" \
  "POST updateTable 401;POST getToken 200;POST updateTable 200;"
expect_eq "snapshots after the restart" "$(snaps)" 3
expect_eq "rows after the restart" "$(rows)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}
{"id":4,"s":"d"}'

cat "$TMP/again.out" "$TMP/again.err" >>"$ALL"
grep -q -- "$TOKEN" "$ALL" && fail "the client secret appears in some output"
grep -q -- "icestream-token-" "$ALL" && fail "an issued token appears in some output"
REST_EXPECT_BROKEN=0 check_exchanges "OpenAPI validation (restarted serve)" "$PROXY_LOG" getToken updateTable
finish
