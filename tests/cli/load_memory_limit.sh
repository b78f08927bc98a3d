#!/usr/bin/env bash
# --memory-limit: a limit too small to run at all is a usage error that names the
# minimum (never an error about an input or a data file), whatever the inputs are; a
# wide input stays under the limit (the load's own high-water mark, not RSS, which
# sanitizers inflate); input that cannot fit fails early naming the column and limit.
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

# Wide: 500 columns x 2,000 rows (DuckDB from tests/interop writes it).
gen=$(cd "$(dirname "$0")/../interop" && pwd)/gen_shapes.mjs
node "$gen" wide "$TMP/wide.parquet" 500 2000 || fail "DuckDB could not write the wide input"
run load --json --warehouse "$WH" --memory-limit 24M w.t "$TMP/wide.parquet"
expect_ok "500 columns under --memory-limit 24M"
peak=$(jget "$TMP/out" "d.get('memory_peak_bytes', -1)")
limit=$(jget "$TMP/out" "d.get('memory_limit_bytes', -1)")
expect_eq "budget of the wide load" "$limit" 25165824
[ "$peak" -gt 0 ] && [ "$peak" -le "$limit" ] ||
  fail "500 columns at 24M: the load held $peak bytes (limit $limit)"
expect_eq "rows of the wide load" "$(jget "$TMP/out" "d['rows_written']")" 2000
# 8M cannot hold one input page of each of the 500 columns: an early, clear error.
run load --warehouse "$WH" --memory-limit 8M w8.t "$TMP/wide.parquet"
expect_error "500 columns at 8M" 1 "column 'c[0-9]+'.*memory limit of 8.0 MiB reached"
[ -e "$WH/w8" ] && [ -n "$(find "$WH/w8" -name '*.parquet')" ] && fail "8M left data files"

# One 3 MB value at the minimum limit: the error names the column, the size, the limit.
node "$gen" big-value "$TMP/big.parquet" 3000000 || fail "DuckDB could not write big.parquet"
run load --warehouse "$WH" --memory-limit 1M b.t "$TMP/big.parquet"
expect_error "a 3 MB value at 1M" 1 "column 'big'.*limit of 1.0 MiB reached: 2.[0-9]+ MiB more"
run load --json --warehouse "$WH" --memory-limit 32M b.t "$TMP/big.parquet"
expect_ok "a 3 MB value at 32M"
peak=$(jget "$TMP/out" "d.get('memory_peak_bytes', -1)")
[ "$peak" -gt 3000000 ] && [ "$peak" -le 33554432 ] || fail "3 MB value at 32M: held $peak"

finish
