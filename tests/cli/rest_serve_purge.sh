#!/usr/bin/env bash
# `icestream serve` and iceberg-js (rest_iceberg_js_admin.mjs, through the validating
# proxy): namespaces with properties, renames, and DELETE …/tables/{t}?purgeRequested=true.
# A purge deletes every file under the table's location and nothing else (a sibling
# table whose folder shares the name's prefix keeps its rows); it is refused with 403,
# dropping nothing, when the table's location overlaps another table's (a second
# registration of the same metadata) or lies outside the warehouse (a table registered
# from another warehouse): the rules of `icestream drop --purge`.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest && have_duckdb || { fail "needs tests/interop node_modules (npm ci)"; finish; }

WH=$TMP/wh
D=$TMP/in
mkdir -p "$D"
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b')) t(id,s)"
pq b "SELECT * FROM (VALUES (3,'c')) t(id,s)"

start_serve main --warehouse "$WH"
start_proxy main "$SERVE_URL"
R=(--catalog "$PROXY_URL")
rows() { "$ICESTREAM" scan "${R[@]}" "$1" 2>"$TMP/scan.err" | sort; }
for t in p p2 keep; do
  run load "${R[@]}" "db.$t" "$D/a.parquet"
  expect_ok "load db.$t"
done
run load "${R[@]}" db.p "$D/b.parquet"
expect_ok "second append to db.p"
[ -n "$(find "$WH/db/p" -name '*.parquet')" ] || fail "db.p has no data files"
run describe --json "${R[@]}" db.keep
keep_md=$(jget "$TMP/out" "d['metadata-location']")
run register "${R[@]}" db.twin "$keep_md"
expect_ok "register db.keep's metadata again as db.twin"
# A table of another warehouse, registered through serve: outside its write roots.
run load --warehouse "$TMP/other" db.o "$D/b.parquet"
expect_ok "load a table into another warehouse"
run describe --json --warehouse "$TMP/other" db.o
run register "${R[@]}" db.out "$(jget "$TMP/out" "d['metadata-location']")"
expect_ok "register the other warehouse's table"
others_before=$(find "$TMP/other/db/o" -type f | sort)

node "$INTEROP_DIR/rest_iceberg_js_admin.mjs" "$PROXY_URL" db.p db.twin >"$TMP/js.out" 2>"$TMP/js.err" ||
  fail "iceberg-js: $(tail -c 800 "$TMP/js.err")"
expect_eq "iceberg-js flow" "$(tail -1 "$TMP/js.out")" ok

expect_eq "the purged table's files are gone" "$(find "$WH/db/p" -type f 2>/dev/null)" ""
run tables "${R[@]}" db
expect_stdout "tables after the purge" "db.keep
db.out
db.p2
db.twin"
expect_eq "the sibling db.p2 keeps its rows" "$(rows db.p2)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}'
expect_eq "db.keep (refused twin purge) keeps its rows" "$(rows db.keep)" "$(rows db.twin)"
expect_eq "db.keep rows" "$(rows db.keep)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}'

# Outside the warehouse: 403, the table and its files stay.
python3 - "$PROXY_URL/v1/namespaces/db/tables/out?purgeRequested=true" >"$TMP/out.check" 2>&1 <<'PY' ||
import json, sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="DELETE"))
    print("purge outside the warehouse succeeded"); sys.exit(1)
except urllib.error.HTTPError as e:
    t = json.loads(e.read())["error"]["type"]
    ok = e.code == 403 and t == "ForbiddenException"
    print("ok" if ok else f"{e.code} {t}"); sys.exit(0 if ok else 1)
PY
  fail "purge outside the warehouse: $(cat "$TMP/out.check")"
expect_eq "the outside table's files stay" "$(find "$TMP/other/db/o" -type f | sort)" "$others_before"
expect_eq "the outside table is still served" "$(rows db.out)" '{"id":3,"s":"c"}'
python3 - "$PROXY_URL/v1/namespaces/db/tables/out?purgeRequested=maybe" >"$TMP/bad.check" 2>&1 <<'PY' ||
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="DELETE")); sys.exit(1)
except urllib.error.HTTPError as e:
    print(e.code); sys.exit(0 if e.code == 400 else 1)
PY
  fail "purgeRequested=maybe: $(cat "$TMP/bad.check")"
# A drop without purge keeps the files.
run drop "${R[@]}" db.out
expect_ok "drop db.out without purge"
expect_eq "its files stay" "$(find "$TMP/other/db/o" -type f | sort)" "$others_before"
# pyiceberg spells the flag as Python does ("False"/"True"): a drop, and a purge that is
# refused like the lowercase one (db.keep shares db.twin's folder), not a 400.
p2_files=$(find "$WH/db/p2" -type f | sort)
python3 - "$PROXY_URL/v1/namespaces/db/tables" >"$TMP/py.check" 2>&1 <<'PY' ||
import sys, urllib.request, urllib.error
base = sys.argv[1]
def delete(path):
    try:
        return urllib.request.urlopen(urllib.request.Request(base + path, method="DELETE")).status
    except urllib.error.HTTPError as e:
        return e.code
got = (delete("/p2?purgeRequested=False"), delete("/keep?purgeRequested=True"))
print(got); sys.exit(0 if got == (204, 403) else 1)
PY
  fail "purgeRequested=False/True: $(cat "$TMP/py.check")"
expect_eq "db.p2 dropped without purge keeps its files" "$(find "$WH/db/p2" -type f | sort)" "$p2_files"
run tables "${R[@]}" db
expect_stdout "tables after the pyiceberg-style drops" "db.keep
db.twin"

REST_EXPECT_BROKEN=0 check_exchanges "OpenAPI validation" "$PROXY_LOG" dropTable renameTable \
  updateProperties dropNamespace loadNamespaceMetadata createNamespace registerTable
finish
