#!/usr/bin/env bash
# The commit-time half of exactly-once (--load-id), made deterministic with the test
# hook ICESTREAM_TEST_WAIT_AT: load A has written its files and waits; load B with the
# same id commits; A's commit then meets B's snapshot on the new head and commits
# nothing, deletes every file it wrote and reports B's snapshot. For append, replace and
# merge, through SQLite and PostgreSQL. A waiting load with another id still commits
# (a plain conflict, retried).
source "$(dirname "$0")/lib_pg_duckdb.bash"
duck "COPY (SELECT * FROM (VALUES (1,'a'),(2,'b')) t(id,v)) TO '$D/k1.parquet' (FORMAT parquet)" \
  "COPY (SELECT * FROM (VALUES (2,'B'),(3,'c')) t(id,v)) TO '$D/k2.parquet' (FORMAT parquet)" \
  "COPY (SELECT * FROM (VALUES (4,'d'),(5,'e')) t(id,v)) TO '$D/k3.parquet' (FORMAT parquet)" \
  "COPY (SELECT * FROM (VALUES (6,'f'),(7,'g')) t(id,v)) TO '$D/k4.parquet' (FORMAT parquet)" >/dev/null ||
  fail "writing inputs"
snaps() { "$ICESTREAM" snapshots --json "${C[@]}" "$1" >"$TMP/s.json" 2>/dev/null && jget "$TMP/s.json" "len(d)"; }
nfiles() { find "$1" -type f | wc -l | tr -d ' '; }

# race NAME TABLE_DIR ID_A ID_B INPUT_A INPUT_B ARGS... TABLE: A (ID_A) waits after
# writing its data while B (ID_B) runs to the end; then A goes on. Leaves A's JSON in
# $TMP/a.json, B's in b.json.
race() {
  local name=$1 dir=$2 ida=$3 idb=$4 ina=$5 inb=$6
  shift 6
  rm -f "$TMP/go"
  ICESTREAM_TEST_WAIT_AT=data-written ICESTREAM_TEST_WAIT_FILE=$TMP/go \
    "$ICESTREAM" load --json "${C[@]}" --load-id "$ida" "$@" "$ina" >"$TMP/a.json" 2>"$TMP/a.err" &
  local a=$!
  # A has written its data file(s) and waits (its files are the newest under data/)
  for _ in $(seq 1 300); do
    [ "$(nfiles "$dir")" -gt "$files0" ] && break
    sleep 0.1
  done
  sleep 0.3
  "$ICESTREAM" load --json "${C[@]}" --load-id "$idb" "$@" "$inb" >"$TMP/b.json" 2>"$TMP/b.err" ||
    fail "$name: B failed: $(cat "$TMP/b.err")"
  touch "$TMP/go"
  wait "$a" || fail "$name: A failed: $(cat "$TMP/a.err")"
}

suite() {
  local cat=$1 ns=$2 mode
  for mode in append replace merge; do
    local name="$cat $mode" table=$ns.$mode args=()
    local input=$P/alltypes_plain.parquet in_a=$P/alltypes_plain.parquet in_b=$P/alltypes_plain.parquet
    [ $mode = replace ] && args=(--mode replace)
    [ $mode = merge ] && { args=(--mode merge --merge-key id); input=$D/k2.parquet; in_a=$D/k3.parquet; in_b=$D/k4.parquet; }
    local first=$P/alltypes_plain.parquet
    [ $mode = merge ] && first=$D/k1.parquet
    run load "${C[@]}" "${args[@]}" "$table" "$first"
    expect_ok "$name: create"
    files0=$(nfiles "$WH/$ns/$mode")
    race "$name" "$WH/$ns/$mode" SAME SAME "$input" "$input" "${args[@]}" "$table"
    local b_snap
    b_snap=$(jget "$TMP/b.json" "d['snapshot_id']")
    expect_eq "$name: A stopped at commit" "$(jget "$TMP/a.json" "(d['committed'], d['already_loaded_snapshot_id'], d['attempts'])")" "(False, $b_snap, 2)"
    expect_eq "$name: one snapshot more" "$(snaps "$table")" 2
    # B's files only: data (+ manifest, manifest list, metadata); none of A's left
    local b_files
    b_files=$(nfiles "$WH/$ns/$mode")
    expect_eq "$name: A's files deleted" "$(find "$WH/$ns/$mode" -type f -newer "$TMP/b.json" | wc -l | tr -d ' ')" 0
    # another id: A's commit conflicts, re-validates and lands
    files0=$b_files
    race "$name other" "$WH/$ns/$mode" OTHER-A OTHER-B "$in_a" "$in_b" "${args[@]}" "$table"
    expect_eq "$name: other id lands" "$(jget "$TMP/a.json" "(d['committed'], d['already_loaded_snapshot_id'], d['attempts'])")" "(True, None, 2)"
    expect_eq "$name: two snapshots more" "$(snaps "$table")" 4
  done
}

C=(--warehouse "$WH")
suite sqlite sq
C=(--warehouse "$WH" --catalog "$PG_URI")
suite postgresql pg
finish
