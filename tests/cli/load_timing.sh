#!/usr/bin/env bash
# icestream load --json reports where the time went: "commit_seconds" (last data file
# closed -> catalog commit done) and "manifest_add_seconds" (manifest entries streamed
# while writing), both measured in the library; bench/commit_cost.sh relies on them.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

for i in 1 2; do # creating load, then a plain append
  run load --json --progress never --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
  expect_ok "load $i"
  expect_eq "load $i commit_seconds in (0, seconds]" \
    "$(jget "$TMP/out" "0 < d['commit_seconds'] <= d['seconds']")" True
  expect_eq "load $i manifest_add_seconds in (0, seconds - commit_seconds]" \
    "$(jget "$TMP/out" "0 < d['manifest_add_seconds'] <= d['seconds'] - d['commit_seconds']")" True
done
# Two data files (one per input with a 1-byte target size): still one commit window.
run load --json --progress never --warehouse "$WH" --property write.target-file-size-bytes=1 \
  db.many "$P/alltypes_plain.parquet" "$P/alltypes_plain.snappy.parquet"
expect_ok "load of two inputs"
expect_eq "two data files" "$(jget "$TMP/out" "d['data_files_added']")" 2
expect_eq "timings present" \
  "$(jget "$TMP/out" "0 < d['commit_seconds'] and 0 < d['manifest_add_seconds']")" True

finish
