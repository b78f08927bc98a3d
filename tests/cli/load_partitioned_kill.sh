#!/usr/bin/env bash
# A partitioned load killed with SIGKILL while spilling (ICESTREAM_TEST_KILL_AT=
# partition-spilling, test builds only: its first rows just went to a temporary run)
# leaves the table as it was, and its spill folder in $TMPDIR is removed by the next
# load that spills (the folder names a process that no longer exists).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
have_duckdb || { echo "SKIP: tests/interop/node_modules missing"; exit 0; }
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
duck "COPY (SELECT i::BIGINT AS id, (i * 7907 % 500)::INTEGER AS p FROM range(20000) t(i))
  TO '$TMP/in.parquet' (FORMAT parquet)" >/dev/null || fail "DuckDB could not write the input"
run load --warehouse "$WH" --partition-by p --property write.partition.max-open-files=4 db.t "$TMP/in.parquet"
expect_ok "first load"
snaps=$(snapcount db.t)
meta=$(metadata_of db.t)
files=$(datafiles "$WH/db/t")
(ICESTREAM_TEST_KILL_AT=partition-spilling "$ICESTREAM" load --warehouse "$WH" db.t "$TMP/in.parquet" \
  >"$TMP/out" 2>"$TMP/err"; exit $?) 2>/dev/null
rc=$?
expect_eq "killed mid-spill: exit status" "$rc" 137
expect_eq "killed mid-spill: snapshots" "$(snapcount db.t)" "$snaps"
expect_eq "killed mid-spill: metadata" "$(metadata_of db.t)" "$meta"
expect_eq "killed mid-spill: rows" "$(rowcount db.t)" 20000
ls "$TMPDIR" | grep -q '^icestream-spill-' || fail "no spill folder left by the killed load"
run load --warehouse "$WH" db.t "$TMP/in.parquet"
expect_ok "load after the kill"
[ -z "$(ls -A "$TMPDIR")" ] || fail "the dead load's runs were not removed: $(ls "$TMPDIR")"
expect_eq "after the kill: snapshots" "$(snapcount db.t)" $((snaps + 1))
expect_eq "after the kill: rows" "$(rowcount db.t)" 40000
finish
