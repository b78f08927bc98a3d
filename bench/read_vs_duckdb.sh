#!/usr/bin/env bash
# Reader benchmark: icestream vs DuckDB, single thread each, every column decoded, same
# file, one run, at two sizes. Reports throughput ratio and both peak RSS figures.
# Usage: bench/read_vs_duckdb.sh [ROWS_SMALL] [ROWS_LARGE]   (defaults: 10M and 40M rows)
# Needs: a release build in build/ and `npm ci` in tests/interop.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-10000000}
LARGE=${2:-40000000}
DATA=bench/data
mkdir -p "$DATA"
BIN=build/bench_pq_read

measure() { # prints "seconds peak_rss_kib"
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  rm -f "$log"
  echo "$wall $rss"
}

printf '| rows | file MB | icestream s | DuckDB s | speed ratio (DuckDB s / icestream s) | icestream peak RSS MiB | DuckDB peak RSS MiB (incl. node) |\n'
printf '|---|---|---|---|---|---|---|\n'
for rows in "$SMALL" "$LARGE"; do
  f="$DATA/read_${rows}.parquet"
  [ -f "$f" ] || node bench/duckdb_bench.mjs gen "$f" "$rows" snappy
  mb=$(( $(stat -c %s "$f") / 1048576 ))
  # warm the page cache so both read from memory
  cat "$f" >/dev/null
  read -r ice_s ice_kb < <(measure "$BIN" "$f")
  read -r duck_s duck_kb < <(measure node bench/duckdb_bench.mjs minmax "$f")
  ratio=$(awk -v a="$duck_s" -v b="$ice_s" 'BEGIN{printf "%.2f", a/b}')
  printf '| %s | %s | %s | %s | %s | %d | %d |\n' "$rows" "$mb" "$ice_s" "$duck_s" "$ratio" \
    $((ice_kb / 1024)) $((duck_kb / 1024))
done
