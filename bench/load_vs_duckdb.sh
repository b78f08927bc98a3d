#!/usr/bin/env bash
# Load benchmark: `icestream load` (Parquet -> new Iceberg snapshot: read, reconcile,
# write data files with metrics, manifests, commit) vs DuckDB rewriting the same file
# (`COPY ... (FORMAT parquet, COMPRESSION zstd)`, 1 thread) vs `cp` of the input bytes
# (the physical floor), at two sizes, in one run. Peak RSS from /usr/bin/time -v shows
# whether icestream's memory stays flat as the input grows (--memory-limit bounds it).
#
# usage: bench/load_vs_duckdb.sh [SMALL_ROWS [BIG_ROWS]]   (defaults 1000000 10000000)
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        THREADS  icestream --threads (default 1: the one-thread comparison; DuckDB
#                 runs one thread too)
#        MEMORY_LIMIT  icestream --memory-limit (default 256M)
# Needs `npm ci` in tests/interop (DuckDB from npm; its RSS includes node's ~50 MiB).
set -euo pipefail
threads=${THREADS:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
small=${1:-1000000}
big=${2:-10000000}
ice=${ICESTREAM:-$here/build/icestream}
mem=${MEMORY_LIMIT:-256M}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=$(mktemp -d /tmp/ice-load-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT

measure() { # measure CMD... -> "seconds peak_rss_kib"
  local log=$dir/time.log
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }') $rss"
}

printf '| rows | input MiB | cp s | DuckDB rewrite s | icestream load s | load / DuckDB | load / cp | icestream RSS MiB | DuckDB RSS MiB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for rows in "$small" "$big"; do
  in=$here/bench/data/load_$rows.parquet # shared with bench/load_rss.sh; kept between runs
  mkdir -p "$here/bench/data"
  [ -f "$in" ] || node "$here/bench/duckdb_bench.mjs" gen "$in" "$rows" snappy
  cat "$in" >/dev/null # page cache warm for every contender
  mib=$(( $(stat -c %s "$in") / 1048576 ))
  read -r cp_s _ < <(measure cp "$in" "$dir/copy.parquet")
  read -r duck_s duck_kb < <(measure node "$here/bench/duckdb_bench.mjs" rewrite "$in" "$dir/duck.parquet")
  rm -rf "$dir/wh"
  read -r ice_s ice_kb < <(measure "$ice" load --progress never --threads "$threads" --memory-limit "$mem" \
    --warehouse "$dir/wh" bench.t "$in")
  r1=$(awk -v a="$ice_s" -v b="$duck_s" 'BEGIN{ printf "%.2f", (b > 0 ? a / b : 0) }')
  r2=$(awk -v a="$ice_s" -v b="$cp_s" 'BEGIN{ printf "%.1f", (b > 0 ? a / b : 0) }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %d | %d |\n' "$rows" "$mib" "$cp_s" "$duck_s" \
    "$ice_s" "$r1" "$r2" $((ice_kb / 1024)) $((duck_kb / 1024))
  rm -f "$dir/copy.parquet" "$dir/duck.parquet"
done
