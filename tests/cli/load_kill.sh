#!/usr/bin/env bash
# A load killed with SIGKILL at each stage (ICESTREAM_TEST_KILL_AT, tests only): before
# the catalog swap the table is exactly as it was; after it the new snapshot is there;
# either way the next load works and counts stay exact.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_ok "setup load"
rows=8
snaps=1
# killed_load STAGE ARGS...: runs a load that kills itself at STAGE; status in $rc. The
# subshell keeps bash's "Killed" notice out of the test log.
killed_load() {
  local stage=$1
  shift
  (ICESTREAM_TEST_KILL_AT=$stage "$ICESTREAM" load "$@" >"$TMP/out" 2>"$TMP/err"; exit $?) 2>/dev/null
  rc=$?
}
for stage in validated data-file data-written metadata-written; do
  meta=$(metadata_of db.t)
  killed_load "$stage" --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
  expect_eq "killed at $stage: exit status" "$rc" 137
  expect_eq "killed at $stage: metadata unchanged" "$(metadata_of db.t)" "$meta"
  expect_eq "killed at $stage: snapshots unchanged" "$(snapcount db.t)" "$snaps"
  expect_eq "killed at $stage: rows unchanged" "$(rowcount db.t)" "$rows"
  run load --warehouse "$WH" db.t "$P/alltypes_plain.snappy.parquet"
  expect_ok "load after kill at $stage"
  rows=$((rows + 2))
  snaps=$((snaps + 1))
  expect_eq "after kill at $stage: rows" "$(rowcount db.t)" "$rows"
  expect_eq "after kill at $stage: total-records" "$(summary db.t total-records)" "$rows"
done

# killed right after the swap: the snapshot landed
killed_load committed --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_eq "killed after commit: exit status" "$rc" 137
rows=$((rows + 8))
expect_eq "killed after commit: rows" "$(rowcount db.t)" "$rows"
expect_eq "killed after commit: snapshots" "$(snapcount db.t)" $((snaps + 1))

# a new table is created by its first commit: killed before it, no table exists
for stage in validated data-written metadata-written; do
  killed_load "$stage" --warehouse "$WH" db.fresh "$P/alltypes_plain.parquet"
  expect_eq "new table killed at $stage: exit status" "$rc" 137
  run tables --warehouse "$WH" db
  expect_stdout "new table killed at $stage: not created" "db.t"
done
run load --warehouse "$WH" db.fresh "$P/alltypes_plain.parquet"
expect_ok "new table after kill"
expect_eq "new table rows" "$(rowcount db.fresh)" 8
finish
