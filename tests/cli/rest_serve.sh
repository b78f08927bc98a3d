#!/usr/bin/env bash
# `icestream serve` and icestream's REST client: append, replace and merge loads through
# a validating proxy (every exchange checked against the OpenAPI document by ajv), rows
# read back exactly through REST, through the SQLite catalog serve writes to, and by
# DuckDB and icebird; iceberg-js drives config -> namespace -> create -> load -> commit
# of icestream's append -> drop; register through REST.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest && have_duckdb || { fail "needs tests/interop node_modules (npm ci)"; finish; }

WH=$TMP/wh
D=$TMP/in
mkdir -p "$D"
pq() { duck "COPY ($2) TO '$D/$1.parquet'" >/dev/null || fail "duckdb $1"; }
pq a "SELECT * FROM (VALUES (1,'a'),(2,'b'),(3,'c')) t(id,s)"
pq b "SELECT * FROM (VALUES (4,'d'),(5,'e')) t(id,s)"
pq c "SELECT * FROM (VALUES (10,'x'),(11,'y')) t(id,s)"
pq m "SELECT * FROM (VALUES (11,'Y'),(12,'z')) t(id,s)"

start_serve main --warehouse "$WH"
start_proxy main "$SERVE_URL"
REST=(--catalog "$PROXY_URL")
# rrows TABLE [CATALOG ARGS]: rows through REST (or the given catalog), sorted.
rrows() {
  local t=$1
  shift
  "$ICESTREAM" scan "${@:-${REST[@]}}" "$t" 2>"$TMP/scan.err" | sort
}
rsnaps() {
  "$ICESTREAM" snapshots --json "${REST[@]}" "$1" >"$TMP/rs.json" 2>"$TMP/rs.err" || { echo x; return; }
  jget "$TMP/rs.json" "' '.join(s['summary']['operation'] for s in d)"
}

run load "${REST[@]}" db.t "$D/a.parquet"
expect_ok "append a (creates db.t)"
run load "${REST[@]}" db.t "$D/b.parquet"
expect_ok "append b"
expect_eq "rows after appends" "$(rrows db.t)" '{"id":1,"s":"a"}
{"id":2,"s":"b"}
{"id":3,"s":"c"}
{"id":4,"s":"d"}
{"id":5,"s":"e"}'
run load "${REST[@]}" --mode replace db.t "$D/c.parquet"
expect_ok "replace"
run load "${REST[@]}" --mode merge --merge-key id db.t "$D/m.parquet"
expect_ok "merge"
want='{"id":10,"s":"x"}
{"id":11,"s":"Y"}
{"id":12,"s":"z"}'
expect_eq "rows after replace + merge (REST)" "$(rrows db.t)" "$want"
expect_eq "rows through serve's SQLite catalog" "$(rrows db.t --warehouse "$WH")" "$want"
expect_eq "snapshot operations" "$(rsnaps db.t)" "append append overwrite overwrite"
run tables "${REST[@]}"
expect_ok tables
expect_stdout "tables through REST" "db.t"

# DuckDB and icebird read the table serve's commits made.
rows_file=$TMP/t.jsonl
rrows db.t >"$rows_file"
run describe --json "${REST[@]}" db.t
expect_ok describe
md=$(jget "$TMP/out" "d['metadata-location']")
node "$INTEROP_DIR/check_scan.mjs" "${md#file:}" --map "file:/=/" --expect-jsonl "$rows_file" \
  >"$TMP/check" 2>&1 || fail "interop read of db.t: $(tail -c 600 "$TMP/check")"

# Register the same metadata file as another table, through REST.
run register "${REST[@]}" db.again "$md"
expect_ok "register"
expect_eq "registered table rows" "$(rrows db.again)" "$want"
run register "${REST[@]}" db.again "$md"
expect_error "register twice" 1 "exists"

# A load into a missing table with --mode merge, a conflict-free second create.
run load "${REST[@]}" db.src "$D/a.parquet"
expect_ok "append into db.src"

# iceberg-js drives the flow, committing db.src's append into its own table; DuckDB and
# icebird read that table before iceberg-js drops it.
rrows db.src >"$TMP/src.jsonl"
cat >"$TMP/check_js.sh" <<SH
node "$INTEROP_DIR/check_scan.mjs" "\${1#file:}" --map file:/=/ --expect-jsonl "$TMP/src.jsonl"
SH
REST_JS_CHECK="bash $TMP/check_js.sh" node "$INTEROP_DIR/rest_iceberg_js.mjs" "$PROXY_URL" db src >"$TMP/js.out" 2>"$TMP/js.err" ||
  fail "iceberg-js flow: $(tail -c 800 "$TMP/js.err")"
expect_eq "iceberg-js dropped its table" "$(tail -1 "$TMP/js.out")" dropped
run tables "${REST[@]}" js
expect_ok "tables js"
expect_stdout "js is empty after the drop" ""

check_exchanges "OpenAPI validation" "$PROXY_LOG" getConfig listNamespaces createNamespace \
  namespaceExists createTable loadTable tableExists listTables updateTable dropTable \
  registerTable
n=$(wc -l <"$PROXY_LOG")
[ "$n" -ge 40 ] || fail "only $n exchanges were validated"
finish
