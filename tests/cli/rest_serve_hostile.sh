#!/usr/bin/env bash
# `icestream serve` against hostile input (curl and raw sockets): path tricks in
# identifiers, locations outside the warehouse, malformed and oversized bodies, unknown
# updates, a flood of connections: each answered with a clean 4xx in the ErrorModel
# shape, no crash, no file outside the warehouse. Then --token-file: requests without
# the token are refused (401), the static token and the OAuth2 client-credentials flow
# of icestream's REST client work, and the token never appears in any output.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_rest.bash"

WH=$TMP/wh
OUT=$TMP/outside
start_serve h --warehouse "$WH" --max-connections 64
U=$SERVE_URL

# req WANT_STATUS WHAT CURL_ARGS... URL: the status is WANT_STATUS and a body, if any, is
# an ErrorModel whose code is the status (paths are sent as they are, dots included).
req() {
  local want=$1 what=$2
  shift 2
  local got
  got=$(curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' "$@")
  [ "$got" = "$want" ] || { fail "$what: HTTP $got, want $want: $(head -c 300 "$TMP/body")"; return; }
  if [ "$want" -ge 400 ] && [ -s "$TMP/body" ]; then
    # The token endpoint answers the OAuth2 error shape (RFC 6749 §5.2), all else ErrorModel.
    python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert isinstance(e,str) if "oauth" in sys.argv[3] else (e["code"]==int(sys.argv[2]) and e["type"] and e["message"])' \
      "$TMP/body" "$want" "${*: -1}" 2>/dev/null || fail "$what: not an ErrorModel: $(head -c 300 "$TMP/body")"
  fi
}
J=(-H 'Content-Type: application/json')
SCHEMA='{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":true,"type":"long"}]}'

req 200 "create namespace" "${J[@]}" -d '{"namespace":["db"]}' "$U/v1/namespaces"
req 409 "create namespace twice" "${J[@]}" -d '{"namespace":["db"]}' "$U/v1/namespaces"
req 200 "create table" "${J[@]}" -d "{\"name\":\"t\",\"schema\":$SCHEMA}" "$U/v1/namespaces/db/tables"
req 409 "create table twice" "${J[@]}" -d "{\"name\":\"t\",\"schema\":$SCHEMA}" "$U/v1/namespaces/db/tables"

# Path tricks: %2F never splits a segment, dot levels, NUL, control bytes, bad escapes.
for p in '..%2F..%2Fetc' '%2e%2e' '.' 'db%00x' 'db%2Fx' 'a%1F..' 'db%0A' '%zz' 'a.b'; do
  req 400 "namespace $p" "$U/v1/namespaces/$p/tables"
done
for t in '..' '%2e%2e' 'a%2Fb' 'a%00' 'x.y'; do
  req 400 "table $t" "$U/v1/namespaces/db/tables/$t"
done
req 400 "namespace body with .." "${J[@]}" -d '{"namespace":[".."]}' "$U/v1/namespaces"
req 400 "namespace body with /" "${J[@]}" -d '{"namespace":["a/b"]}' "$U/v1/namespaces"
req 400 "table name with /" "${J[@]}" -d "{\"name\":\"../x\",\"schema\":$SCHEMA}" "$U/v1/namespaces/db/tables"
req 400 "location outside the warehouse" "${J[@]}" \
  -d "{\"name\":\"o\",\"location\":\"$OUT\",\"schema\":$SCHEMA}" "$U/v1/namespaces/db/tables"
req 400 "location escaping the warehouse" "${J[@]}" \
  -d "{\"name\":\"o\",\"location\":\"$WH/../outside\",\"schema\":$SCHEMA}" "$U/v1/namespaces/db/tables"
# A commit moving the table outside the warehouse: refused by the FileIO's write root.
run_commit='{"requirements":[],"updates":[{"action":"set-location","location":"'$OUT'"}]}'
curl -s -o "$TMP/body" "${J[@]}" -d "$run_commit" "$U/v1/namespaces/db/tables/t"
grep -q '"error"' "$TMP/body" || fail "set-location outside the warehouse was applied: $(head -c 300 "$TMP/body")"
[ ! -e "$OUT" ] || fail "a file appeared outside the warehouse: $(find "$OUT" | head -3)"

# Malformed bodies and unknown vocabulary.
req 400 "malformed JSON" "${J[@]}" -d '{"requirements":[' "$U/v1/namespaces/db/tables/t"
req 400 "not an object" "${J[@]}" -d '[1,2]' "$U/v1/namespaces/db/tables/t"
req 400 "unknown update" "${J[@]}" -d '{"requirements":[],"updates":[{"action":"frobnicate"}]}' \
  "$U/v1/namespaces/db/tables/t"
req 400 "unknown requirement" "${J[@]}" -d '{"requirements":[{"type":"assert-magic"}],"updates":[]}' \
  "$U/v1/namespaces/db/tables/t"
req 409 "failed requirement" "${J[@]}" \
  -d '{"requirements":[{"type":"assert-table-uuid","uuid":"00000000-0000-4000-8000-000000000000"}],"updates":[]}' \
  "$U/v1/namespaces/db/tables/t"
req 404 "commit to a missing table" "${J[@]}" -d '{"requirements":[],"updates":[]}' \
  "$U/v1/namespaces/db/tables/nope"
req 404 "missing namespace" "$U/v1/namespaces/nope/tables"
req 404 "unknown endpoint" "$U/v1/nothing"
req 405 "wrong method" -X PUT "$U/v1/config"
req 400 "rename without identifiers" "${J[@]}" -d '{}' "$U/v1/tables/rename"
req 400 "rename to a path trick" "${J[@]}" \
  -d '{"source":{"namespace":["db"],"name":"t"},"destination":{"namespace":[".."],"name":"x"}}' \
  "$U/v1/tables/rename"
req 400 "rename to a name with a slash" "${J[@]}" \
  -d '{"source":{"namespace":["db"],"name":"t"},"destination":{"namespace":["db"],"name":"../x"}}' \
  "$U/v1/tables/rename"
req 400 "empty multi-table transaction" "${J[@]}" -d '{"table-changes":[]}' "$U/v1/transactions/commit"
req 400 "transaction change without identifier" "${J[@]}" \
  -d '{"table-changes":[{"requirements":[],"updates":[]}]}' "$U/v1/transactions/commit"
# 65 MiB body: refused by its Content-Length, and when sent chunked without one.
head -c $((65 * 1024 * 1024)) /dev/zero >"$TMP/big"
req 413 "oversized body" "${J[@]}" --data-binary "@$TMP/big" "$U/v1/namespaces/db/tables/t"
req 413 "oversized chunked body" "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/big" \
  "$U/v1/namespaces/db/tables/t"
rm -f "$TMP/big"

# A flood: 2000 idle connections held open (far beyond --max-connections 64): a real
# request meanwhile gets a clean 503 ErrorModel; once they are dropped the server
# answers again.
python3 - "$U" >"$TMP/flood" 2>&1 <<'PY' || fail "flood: $(tail -c 300 "$TMP/flood")"
import resource, socket, sys, urllib.parse
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = 2100 if hard == resource.RLIM_INFINITY else min(hard, 2100)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
u = urllib.parse.urlparse(sys.argv[1])
socks = []
for _ in range(min(2000, want - 50)):
    try:
        s = socket.create_connection((u.hostname, u.port), timeout=2)
        s.send(b"GET /v1/config HTTP/1.1\r\nHost: x\r\n")  # never finished
        socks.append(s)
    except OSError:
        pass
import json, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/v1/config", timeout=60)
    print("a request during the flood got 200, want 503")
    ok = False
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    ok = e.code == 503 and body["error"]["code"] == 503
    print("during the flood:", e.code, body)
for s in socks:
    s.close()
print(len(socks), "opened")
sys.exit(0 if ok and len(socks) >= 500 else 1)
PY
# The server notices the dropped connections as it polls them.
for _ in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$U/v1/config")" = 200 ] && break
  sleep 0.2
done
kill -0 "$SERVE_PID" 2>/dev/null || fail "serve died during the flood"
req 200 "config after the flood" "$U/v1/config"
req 200 "table still loads" "$U/v1/namespaces/db/tables/t"
[ ! -s "$TMP/h.err" ] || fail "serve wrote to stderr: $(head -c 300 "$TMP/h.err")"
stop_pid "$SERVE_PID"
[ ! -e "$OUT" ] || fail "a file appeared outside the warehouse"

# ---- bearer token
TOKEN=tok-$RANDOM-secret-$$
printf '%s\n' "$TOKEN" >"$TMP/token"
start_serve a --warehouse "$WH" --token-file "$TMP/token"
U=$SERVE_URL
req 401 "no token" "$U/v1/config"
req 401 "wrong token" -H "Authorization: Bearer nope" "$U/v1/config"
req 200 "right token" -H "Authorization: Bearer $TOKEN" "$U/v1/config"
req 401 "oauth with a wrong secret" -d "grant_type=client_credentials&client_id=c&client_secret=nope" \
  "$U/v1/oauth/tokens"
run tables --catalog "$U"
expect_error "client without a token" 1 "401"
run tables --catalog "$U" --catalog-property "token=$TOKEN"
expect_ok "client with the static token"
expect_stdout "tables with the token" "db.t"
run tables --catalog "$U" --catalog-property "credential=client:$TOKEN"
expect_ok "client with OAuth2 client credentials"
expect_stdout "tables with OAuth2" "db.t"
run tables --catalog "$U" --catalog-property "credential=client:wrong-$TOKEN-x"
expect_error "client with a wrong credential" 1 "refused"
grep -q -- "$TOKEN" "$TMP/err" && fail "the token appears in an error"
run describe --json --catalog "$U" --catalog-property "token=$TOKEN" db.t
expect_ok "describe with the token"
if grep -rq -- "$TOKEN" "$TMP"/*.out "$TMP"/*.err "$TMP/out" "$TMP/err" 2>/dev/null; then
  fail "the token appears in some output"
fi
finish
