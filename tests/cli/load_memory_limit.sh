#!/usr/bin/env bash
# --memory-limit: a limit too small to run at all is a usage error that names the
# minimum (never an error about an input or a data file), whatever the inputs are.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

in=$P/alltypes_plain.parquet
for small in 1 1B 1K 1023K 1048575; do
  run load --warehouse "$WH" --memory-limit "$small" m.t "$in"
  expect_error "--memory-limit $small" 2 "memory-limit $small is below the minimum of 1M"
  grep -q "$in\|data file\|parquet" "$TMP/err" && fail "--memory-limit $small blames a file"
done
run load --warehouse "$WH" --memory-limit 1 m.t "$TMP/missing.parquet"
expect_error "--memory-limit 1 with a missing input" 2 "below the minimum"
[ -e "$WH" ] && fail "a refused limit created the warehouse"

run load --warehouse "$WH" --memory-limit 1M m.t "$in"
expect_ok "--memory-limit 1M (the minimum) loads"
expect_eq "rows at the minimum limit" "$(rowcount m.t)" 8

finish
