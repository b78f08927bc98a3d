#!/usr/bin/env bash
# A connection to the PostgreSQL catalog lost around the commit statement (test hook
# ICESTREAM_TEST_PG_LOSE, for the swap and for a create's insert): before the swap
# reached the server, the load reconnects,
# reads the row back (still the base: a definite "not committed"), and commits again;
# after the swap committed but its answer was lost, the row names our metadata file,
# so the load reports success and deletes nothing. Either way one snapshot per load.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_pg.bash"
pg_start
C=(--warehouse "$WH" --catalog "$PG_URI")
run load "${C[@]}" db.t "$P/alltypes_plain.parquet"
expect_ok "create"

# ---- lost before the swap: not committed, retried
ICESTREAM_TEST_PG_LOSE=before-swap run load --json "${C[@]}" db.t "$P/alltypes_plain.parquet"
expect_ok "lost before the swap"
expect_eq "before: attempts" "$(jget "$TMP/out" "d['attempts']")" 2
expect_eq "before: snapshots" "$(pg_snapcount db.t)" 2
expect_eq "before: rows" "$(pg_rowcount db.t)" 16
expect_eq "before: row names the result" "$(pgq "SELECT metadata_location FROM iceberg_tables")" "$(jget "$TMP/out" "d['metadata_location']")"
expect_eq "before: the lost attempt's metadata file is gone" "$(find "$WH/db/t/metadata" -name '*.metadata.json' | wc -l | tr -d ' ')" 2

# ---- lost after the swap committed: resolved as committed, nothing deleted
ICESTREAM_TEST_PG_LOSE=after-swap run load --json "${C[@]}" db.t "$P/alltypes_plain.parquet"
expect_ok "lost after the swap"
expect_eq "after: attempts" "$(jget "$TMP/out" "d['attempts']")" 1
expect_eq "after: snapshots" "$(pg_snapcount db.t)" 3
expect_eq "after: rows" "$(pg_rowcount db.t)" 24
expect_eq "after: row names the result" "$(pgq "SELECT metadata_location FROM iceberg_tables")" "$(jget "$TMP/out" "d['metadata_location']")"
expect_eq "after: data files" "$(datafiles "$WH/db/t")" 3

# ---- the same on a create (insert): before it, no row means not created (retried);
# after it, our row means created
ICESTREAM_TEST_PG_LOSE=before-insert run load --json "${C[@]}" db.fresh "$P/alltypes_plain.parquet"
expect_ok "lost before the insert"
expect_eq "before insert: created, attempts" "$(jget "$TMP/out" "(d['table_created'], d['attempts'])")" "(True, 2)"
expect_eq "before insert: snapshots" "$(pg_snapcount db.fresh)" 1
expect_eq "before insert: metadata files" "$(find "$WH/db/fresh/metadata" -name '*.metadata.json' | wc -l | tr -d ' ')" 1
ICESTREAM_TEST_PG_LOSE=after-insert run load --json "${C[@]}" db.fresh2 "$P/alltypes_plain.parquet"
expect_ok "lost after the insert"
expect_eq "after insert: created, attempts" "$(jget "$TMP/out" "(d['table_created'], d['attempts'])")" "(True, 1)"
expect_eq "after insert: snapshots" "$(pg_snapcount db.fresh2)" 1
expect_eq "after insert: rows" "$(pg_rowcount db.fresh2)" 8
expect_eq "after insert: no creation marker left" "$(find "$WH/db/fresh2/metadata" -type f ! -name '*.metadata.json' ! -name '*.avro' | wc -l | tr -d ' ')" 0

# ---- the server gone for good during the commit: unknown, and every file kept
run load "${C[@]}" db.gone "$P/alltypes_plain.parquet"
expect_ok "create db.gone"
before=$(datafiles "$WH/db/gone")
ICESTREAM_TEST_WAIT_AT=metadata-written ICESTREAM_TEST_WAIT_FILE=$TMP/go \
  "$ICESTREAM" load "${C[@]}" db.gone "$P/alltypes_plain.parquet" >"$TMP/out" 2>"$TMP/err" &
loader=$!
for _ in $(seq 1 300); do
  [ "$(find "$WH/db/gone/metadata" -name '00001-*.metadata.json' | wc -l)" -ge 1 ] && break
  sleep 0.1
done
"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w stop >/dev/null 2>&1
touch "$TMP/go"
wait "$loader"
rc=$?
expect_error "server gone during the commit" 1 "outcome is unknown"
expect_eq "gone: data file kept" "$(datafiles "$WH/db/gone")" $((before + 1))
expect_eq "gone: metadata file kept" "$(find "$WH/db/gone/metadata" -name '00001-*.metadata.json' | wc -l | tr -d ' ')" 1
finish
