#!/usr/bin/env bash
# Renaming tables and managing namespaces (`icestream rename`, `icestream namespace`) on
# every catalog: SQLite, PostgreSQL (a private server, lib_pg.bash) and REST (`icestream
# serve` over SQLite, every exchange validated against the OpenAPI document by
# rest_proxy.mjs). The same scenario runs on each: rename across namespaces keeps the
# rows, the snapshots and the metadata file; a missing source, a missing destination
# namespace and an existing destination are refused and change nothing; namespace
# properties are set and removed in one step (removed / missing reported through
# REST); a namespace holding a table cannot be dropped, an empty one can. On the SQL
# catalogs the JDBC rows are checked directly. Through serve the status codes and
# error types of the spec are checked on raw requests too.
source "$(dirname "$0")/lib_pg_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest || { fail "needs tests/interop node_modules (npm ci)"; finish; }
trap 'pg_stop; rest_cleanup' EXIT
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b'),(3,'c')) t(id,s)"
pq b "SELECT * FROM (VALUES (4,'d')) t(id,s)"

# row_of KIND NS NAME: "metadata_location" of the JDBC row ("-" when none).
row_of() {
  case $1 in
    sqlite) python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT metadata_location FROM iceberg_tables WHERE table_namespace=? AND table_name=?", sys.argv[2:4]).fetchall(); print(r[0][0] if r else "-")' "$SQLITE_DB" "$2" "$3" ;;
    pg) local v; v=$(pgq "SELECT metadata_location FROM iceberg_tables WHERE table_namespace='$2' AND table_name='$3'"); echo "${v:--}" ;;
    rest) python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT metadata_location FROM iceberg_tables WHERE table_namespace=? AND table_name=?", sys.argv[2:4]).fetchall(); print(r[0][0] if r else "-")' "$SERVE_DB" "$2" "$3" ;;
  esac
}

# scenario KIND CATALOG-ARGS...
scenario() {
  local k=$1
  shift
  local C=("$@")
  rows() { "$ICESTREAM" scan "${C[@]}" "$1" 2>"$TMP/scan.err" | sort; }
  run load "${C[@]}" db.t "$D/a.parquet"
  expect_ok "$k: load db.t"
  local before
  before=$(row_of "$k" db t)
  run namespace create "${C[@]}" other --property owner=me --property x=1
  expect_ok "$k: namespace create other"
  run rename "${C[@]}" db.t other.t2
  expect_ok "$k: rename db.t -> other.t2"
  expect_stdout "$k: rename output" "renamed table db.t to other.t2"
  expect_eq "$k: rows after rename" "$(rows other.t2)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}'
  expect_eq "$k: the row keeps its metadata file" "$(row_of "$k" other t2)" "$before"
  expect_eq "$k: no row left under the old name" "$(row_of "$k" db t)" "-"
  run snapshots --json "${C[@]}" other.t2
  expect_eq "$k: one snapshot after the rename" "$(jget "$TMP/out" "len(d)")" 1
  run scan "${C[@]}" db.t
  expect_error "$k: old name is gone" 1 "does not exist"
  run tables "${C[@]}"
  expect_stdout "$k: tables after rename" "other.t2"

  run rename "${C[@]}" db.t other.x
  expect_error "$k: rename a missing table" 1 "table db.t does not exist"
  run rename "${C[@]}" other.t2 nope.t
  expect_error "$k: rename into a missing namespace" 1 "namespace nope does not exist"
  run load "${C[@]}" db.u "$D/b.parquet"
  expect_ok "$k: load db.u"
  run rename "${C[@]}" db.u other.t2
  expect_error "$k: rename onto an existing table" 1 "already exists"
  run rename "${C[@]}" db.u db.u
  expect_error "$k: rename onto itself" 1 "already exists"
  expect_eq "$k: refused renames changed nothing" "$(rows db.u)|$(row_of "$k" other t2)" \
    '{"id":4,"s":"d"}|'"$before"

  run namespace properties "${C[@]}" other --set y=2 --remove x --remove zz
  expect_ok "$k: namespace properties"
  expect_stdout "$k: properties after set/remove" "owner=me
y=2"
  run namespace properties "${C[@]}" other --set x=1 --remove x
  expect_error "$k: a key both set and removed" 1 "both"
  run namespace properties "${C[@]}" other --remove exists
  expect_error "$k: the marker is reserved" 1 "reserved"
  run namespace properties "${C[@]}" nope --set a=b
  expect_error "$k: properties of a missing namespace" 1 "namespace nope does not exist"
  run namespace drop "${C[@]}" other
  expect_error "$k: drop a namespace holding a table" 1 "not empty"
  run rename "${C[@]}" other.t2 db.back
  expect_ok "$k: rename back into db"
  run namespace drop "${C[@]}" other
  expect_ok "$k: drop the empty namespace"
  run namespace drop "${C[@]}" other
  expect_error "$k: drop it again" 1 "namespace other does not exist"
  # A non-ASCII parent: its child must keep it from being dropped (prefixes are
  # compared in characters, as the database's substr counts them).
  # A refused property creates nothing (a retry must not find the namespace half made).
  run namespace create "${C[@]}" half --property "k=$(printf 'v%.0s' $(seq 1001))"
  expect_error "$k: a property value over 1000 bytes" 1 "at most 1000 bytes"
  run namespace create "${C[@]}" half --property exists=no
  expect_error "$k: the reserved key" 1 "reserved"
  run namespace list "${C[@]}"
  expect_stdout "$k: no half-made namespace" "db"
  run namespace create "${C[@]}" café
  expect_ok "$k: namespace create café"
  run namespace create "${C[@]}" café.x --property a=b
  expect_ok "$k: namespace create café.x"
  run namespace drop "${C[@]}" café
  expect_error "$k: drop café while café.x exists" 1 "not empty"
  run namespace drop "${C[@]}" café.x
  expect_ok "$k: drop café.x"
  run namespace drop "${C[@]}" café
  expect_ok "$k: drop café once empty"
  run namespace list "${C[@]}"
  expect_stdout "$k: namespaces at the end" "db"
  expect_eq "$k: rows at the end" "$(rows db.back)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}'
}

SQLITE_DB=$TMP/sq/catalog.db
scenario sqlite --warehouse "$TMP/sq"
expect_eq "sqlite: property rows" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM iceberg_namespace_properties WHERE namespace=\"other\"").fetchone()[0])' "$SQLITE_DB")" 0

# Reading a namespace's properties takes no write lock: it answers while another
# process holds one (a read inside BEGIN IMMEDIATE would wait, then fail).
run namespace create --warehouse "$TMP/sq" locked --property a=1
expect_ok "sqlite: namespace create locked"
python3 - "$SQLITE_DB" "$ICESTREAM" "$TMP/sq" >"$TMP/lock.check" 2>&1 <<'PY' ||
import sqlite3, subprocess, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
r = subprocess.run([sys.argv[2], "namespace", "properties", "--warehouse", sys.argv[3],
                    "--catalog-property", "sqlite.busy-timeout-ms=200", "locked"],
                   capture_output=True, text=True, timeout=60)
# A drop that cannot get the lock says the catalog is busy, not "not empty".
d = subprocess.run([sys.argv[2], "namespace", "drop", "--warehouse", sys.argv[3],
                    "--catalog-property", "sqlite.busy-timeout-ms=200", "locked"],
                   capture_output=True, text=True, timeout=60)
db.execute("ROLLBACK")
ok = r.returncode == 0 and r.stdout == "a=1\n" and d.returncode != 0 and \
     "busy" in d.stderr and "not empty" not in d.stderr
print("ok" if ok else f"{r.returncode} {r.stdout!r} {r.stderr!r}; drop {d.returncode} {d.stderr!r}")
sys.exit(0 if ok else 1)
PY
  fail "namespace properties under another writer's lock: $(cat "$TMP/lock.check")"
run namespace drop --warehouse "$TMP/sq" locked
expect_ok "sqlite: drop locked"

WH=$TMP/pgwh
scenario pg --warehouse "$WH" --catalog "$PG_URI"
expect_eq "pg: namespace rows" "$(pgq "SELECT string_agg(namespace||':'||property_key, ',' ORDER BY 1) FROM iceberg_namespace_properties")" "db:exists"

SERVE_DB=$TMP/serve/catalog.db
start_serve main --warehouse "$TMP/serve"
start_proxy main "$SERVE_URL"
scenario rest --catalog "$PROXY_URL"

# Raw requests: status codes and error types of the spec.
run load --catalog "$PROXY_URL" db.raw "$D/b.parquet"
expect_ok "rest: load db.raw"
python3 - "$PROXY_URL" >"$TMP/raw.check" 2>&1 <<'PY' || fail "raw requests: $(cat "$TMP/raw.check")"
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
def ident(ns, name): return {"namespace": ns, "name": name}
problems = []
def want(what, got, status, etype=None):
    s, b = got
    t = b["error"]["type"] if b and "error" in b else None
    if s != status or (etype and t != etype):
        problems.append(f"{what}: {s} {t}, expected {status} {etype}")
    return b
want("rename missing table", req("POST", "tables/rename", {"source": ident(["db"], "zz"), "destination": ident(["db"], "yy")}), 404, "NoSuchTableException")
want("rename into missing namespace", req("POST", "tables/rename", {"source": ident(["db"], "raw"), "destination": ident(["nope"], "yy")}), 404, "NoSuchNamespaceException")
want("rename onto existing", req("POST", "tables/rename", {"source": ident(["db"], "raw"), "destination": ident(["db"], "back")}), 409, "AlreadyExistsException")
want("rename", req("POST", "tables/rename", {"source": ident(["db"], "raw"), "destination": ident(["db"], "raw2")}), 204)
want("table exists", req("HEAD", "namespaces/db/tables/raw2"), 204)
want("old table gone", req("HEAD", "namespaces/db/tables/raw"), 404)
# The renamed table kept its folder: a new table of the old name would share it.
schema = {"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "id", "required": False, "type": "long"}]}
b = want("create in a renamed table's folder", req("POST", "namespaces/db/tables", {"name": "raw", "schema": schema}), 409, "AlreadyExistsException")
if b and "db.raw2" not in b["error"]["message"]: problems.append(f"the message does not name db.raw2: {b}")
want("create elsewhere", req("POST", "namespaces/db/tables", {"name": "fresh", "schema": schema}), 200)
want("drop it", req("DELETE", "namespaces/db/tables/fresh"), 204)
b = want("create namespace with properties", req("POST", "namespaces", {"namespace": ["p"], "properties": {"owner": "ops", "k": "v"}}), 200)
if b and b.get("properties") != {"owner": "ops", "k": "v"}: problems.append(f"created properties {b}")
want("namespace exists", req("HEAD", "namespaces/p"), 204)
want("create with a value over 1000 bytes", req("POST", "namespaces", {"namespace": ["half"], "properties": {"k": "v" * 1001}}), 400, "BadRequestException")
want("create with an empty key", req("POST", "namespaces", {"namespace": ["half"], "properties": {"": "v"}}), 400, "BadRequestException")
want("a refused create made nothing", req("HEAD", "namespaces/half"), 404)
want("namespace missing", req("HEAD", "namespaces/nope"), 404)
b = want("update properties", req("POST", "namespaces/p/properties", {"removals": ["k", "gone"], "updates": {"owner": "me", "new": "1"}}), 200)
if b and (sorted(b["updated"]), b["removed"], b.get("missing")) != (["new", "owner"], ["k"], ["gone"]):
    problems.append(f"update response {b}")
b = want("load namespace", req("GET", "namespaces/p"), 200)
if b and b["properties"] != {"owner": "me", "new": "1"}: problems.append(f"loaded properties {b}")
want("key in both lists", req("POST", "namespaces/p/properties", {"removals": ["owner"], "updates": {"owner": "x"}}), 422, "UnprocessableEntityException")
want("properties of a missing namespace", req("POST", "namespaces/nope/properties", {"updates": {"a": "b"}}), 404, "NoSuchNamespaceException")
want("drop non-empty namespace", req("DELETE", "namespaces/db"), 409, "NamespaceNotEmptyException")
want("drop missing namespace", req("DELETE", "namespaces/nope"), 404, "NoSuchNamespaceException")
want("drop namespace", req("DELETE", "namespaces/p"), 204)
want("dropped namespace is gone", req("HEAD", "namespaces/p"), 404)
print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
PY
REST_EXPECT_BROKEN=0 check_exchanges "OpenAPI validation" "$PROXY_LOG" renameTable dropNamespace \
  updateProperties createNamespace loadNamespaceMetadata namespaceExists tableExists
finish
