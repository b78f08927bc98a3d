# Helpers for the tests/cli/load_merge*.sh scripts (sourced after lib_cli.bash,
# lib_load.bash and lib_duckdb.bash): inputs written by DuckDB into $D, merges with
# --json, their counters and the table's rows.
D=$TMP/in
mkdir -p "$D"

# pq NAME SELECT: writes $D/NAME.parquet from a DuckDB query.
pq() {
  duck "COPY ($2) TO '$D/$1.parquet' (FORMAT parquet)" >/dev/null || fail "duckdb: $2"
}

# rows TABLE: the table's rows as sorted JSON lines.
rows() {
  "$ICESTREAM" scan --warehouse "$WH" --format jsonl "$1" 2>"$TMP/scan.err" | sort
}

# merge TABLE ARGS...: a merge load with --json into $TMP/m.json.
merge() {
  local t=$1
  shift
  run load --warehouse "$WH" --mode merge --json "$t" "$@"
  cp "$TMP/out" "$TMP/m.json"
}

# mj KEY: KEY of the last --json merge.
mj() {
  jget "$TMP/m.json" "d['$1']"
}

# counters: the merge counters of the last --json merge, as "ins upd del unch".
counters() {
  jget "$TMP/m.json" "' '.join(str(d[k]) for k in ['rows_inserted','rows_updated','rows_deleted','rows_unchanged'])"
}

# mor_props: the create properties of a merge-on-read table (every kind of change).
mor_props=(--property write.merge.mode=merge-on-read --property write.update.mode=merge-on-read
  --property write.delete.mode=merge-on-read)

# Every merge test writes its inputs with DuckDB: without it the test is skipped.
if ! have_duckdb; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
