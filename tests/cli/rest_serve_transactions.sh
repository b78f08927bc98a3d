#!/usr/bin/env bash
# POST /v1/transactions/commit on `icestream serve` over SQLite and over PostgreSQL (a
# private server, lib_pg.bash), through the validating proxy: a transaction that sets a
# property on two tables lands on both (204, both metadata files new); one whose second
# change has a stale requirement is 409 and changes neither table (the first one's
# metadata location, properties and the rows stay); a missing table is 404 and a table
# named twice 400. The tables' rows are read back exactly.
source "$(dirname "$0")/lib_pg_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest || { fail "needs tests/interop node_modules (npm ci)"; finish; }
trap 'pg_stop; rest_cleanup' EXIT
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b')) t(id,s)"

scenario() {
  local k=$1
  shift
  start_serve "$k" "$@"
  start_proxy "$k" "$SERVE_URL"
  local R=(--catalog "$PROXY_URL")
  for t in a b; do
    run load "${R[@]}" "db.$t" "$D/a.parquet"
    expect_ok "$k: load db.$t"
  done
  python3 - "$PROXY_URL" >"$TMP/$k.check" 2>&1 <<'PY' || fail "$k: transactions: $(cat "$TMP/$k.check")"
import json, sys, urllib.request, urllib.error
base = sys.argv[1] + "/v1/"
def req(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method,
                               headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw else None
def load(t):
    s, b = req("GET", f"namespaces/db/tables/{t}")
    assert s == 200, (s, b)
    return b
def change(t, md, props, snap=None):
    return {"identifier": {"namespace": ["db"], "name": t},
            "requirements": [{"type": "assert-table-uuid", "uuid": md["metadata"]["table-uuid"]},
                             {"type": "assert-ref-snapshot-id", "ref": "main",
                              "snapshot-id": snap if snap is not None else md["metadata"]["current-snapshot-id"]}],
            "updates": [{"action": "set-properties", "updates": props}]}
problems = []
a0, b0 = load("a"), load("b")
s, body = req("POST", "transactions/commit", {"table-changes": [change("a", a0, {"txn": "1"}), change("b", b0, {"txn": "1"})]})
if s != 204: problems.append(f"transaction: {s} {body}")
a1, b1 = load("a"), load("b")
for name, before, after in (("a", a0, a1), ("b", b0, b1)):
    if after["metadata"]["properties"].get("txn") != "1": problems.append(f"{name}: property not set")
    if after["metadata-location"] == before["metadata-location"]: problems.append(f"{name}: no new metadata")
s, body = req("POST", "transactions/commit", {"table-changes": [change("a", a1, {"txn": "2"}), change("b", b1, {"txn": "2"}, snap=123)]})
if s != 409 or body["error"]["type"] != "CommitFailedException": problems.append(f"stale transaction: {s} {body}")
a2, b2 = load("a"), load("b")
if a2["metadata-location"] != a1["metadata-location"] or a2["metadata"]["properties"].get("txn") != "1":
    problems.append("the failed transaction changed db.a")
if b2["metadata-location"] != b1["metadata-location"]: problems.append("the failed transaction changed db.b")
s, body = req("POST", "transactions/commit", {"table-changes": [change("a", a2, {"txn": "3"}), change("nope", a2, {"txn": "3"})]})
if s != 404 or body["error"]["type"] != "NoSuchTableException": problems.append(f"missing table: {s} {body}")
if load("a")["metadata-location"] != a1["metadata-location"]: problems.append("the 404 transaction changed db.a")
s, body = req("POST", "transactions/commit", {"table-changes": [change("a", a2, {"x": "1"}), change("a", a2, {"y": "1"})]})
if s != 400: problems.append(f"a table twice: {s} {body}")
print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
PY
  for t in a b; do
    run scan "${R[@]}" "db.$t"
    expect_eq "$k: rows of db.$t" "$(sort "$TMP/out")" '{"id":1,"s":"a"}
{"id":2,"s":"b"}'
    run snapshots --json "${R[@]}" "db.$t"
    expect_eq "$k: snapshots of db.$t" "$(jget "$TMP/out" "len(d)")" 1
  done
  REST_EXPECT_BROKEN=0 check_exchanges "$k: OpenAPI validation" "$PROXY_LOG" commitTransaction loadTable
  stop_pid "$PROXY_PID"
  stop_pid "$SERVE_PID"
}

scenario sqlite --warehouse "$TMP/sq"
scenario pg --warehouse "$TMP/pgwh" --catalog "$PG_URI"
expect_eq "pg: both rows moved once" "$(pgq "SELECT count(*) FROM iceberg_tables WHERE previous_metadata_location IS NOT NULL")" 2
finish
