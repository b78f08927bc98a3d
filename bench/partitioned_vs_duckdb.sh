#!/usr/bin/env bash
# Partitioned load benchmark: `icestream load --partition-by 'day(ts), bucket(16, id)'`
# into a new table (≈ 365 × 16 partitions, input in random partition order, one thread)
# vs DuckDB writing the same rows Hive-partitioned, `COPY ... TO DIR (FORMAT parquet,
# PARTITION_BY (ts_day, id_bucket))` with threads = 1. DuckDB has no Iceberg bucket
# (Murmur3) function, so its id_bucket is hash(id) % 16: the same number of partitions
# and the same day values, not the same membership. Reported: wall and CPU seconds
# (user + sys, /usr/bin/time -v), the CPU ratio DuckDB / icestream (target >= 1.0), peak
# RSS (target <= 256 MiB at --memory-limit 256M), rows spilled to temporary runs, and
# the most files any partition got against ceil(its bytes / target) + 1.
#
# usage: bench/partitioned_vs_duckdb.sh [ROWS]   (default 20000000)
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        THREADS  icestream --threads (default 1: the one-thread comparison; DuckDB
#                 runs one thread too)
#        MEMORY_LIMIT  icestream --memory-limit (default 256M)
# Needs `npm ci` in tests/interop (DuckDB from npm; its RSS includes node's ~50 MiB).
set -euo pipefail
threads=${THREADS:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000000}
ice=${ICESTREAM:-$here/build/icestream}
mem=${MEMORY_LIMIT:-256M}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=$(mktemp -d /tmp/ice-part-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT
duck() { node "$here/bench/duckdb_bench.mjs" sql "$@"; }

# Random order without a sort: id and the second of the year are two multiplicative
# permutations of the row number.
in=$here/bench/data/partitioned_$rows.parquet
mkdir -p "$here/bench/data"
[ -f "$in" ] || duck "COPY (SELECT
      (i * 2654435761 % $rows)::BIGINT AS id,
      TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((i * 40503 % 31536000)::BIGINT) AS ts,
      (i * 7919 % 1000003)::INTEGER AS qty,
      (i % 100000) / 7.0 AS price,
      'customer-' || (i % 50000)::VARCHAR AS customer
    FROM range($rows) t(i)) TO '$in' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)" >/dev/null
cat "$in" >/dev/null

measure() { # measure CMD... -> "wall cpu rss_kib"
  local log=$dir/time.log
  nice -n 5 /usr/bin/time -v "$@" >"$dir/cmd.out" 2>"$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    END { printf "%.2f %.2f %d\n", w, u + s, r }' "$log"
}

read -r d_s d_cpu d_rss < <(measure node "$here/bench/duckdb_bench.mjs" sql \
  "SET preserve_insertion_order = false" \
  "COPY (SELECT *, CAST(ts AT TIME ZONE 'UTC' AS DATE) AS ts_day, hash(id) % 16 AS id_bucket
     FROM read_parquet('$in')) TO '$dir/duck' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (ts_day, id_bucket))")
d_parts=$(find "$dir/duck" -name '*.parquet' -printf '%h\n' | sort -u | wc -l)
d_files=$(find "$dir/duck" -name '*.parquet' | wc -l)
rm -rf "$dir/duck"

read -r i_s i_cpu i_rss < <(measure "$ice" load --json --progress never --threads "$threads" --memory-limit "$mem" \
  --warehouse "$dir/wh" --partition-by 'day(ts), bucket(16, id)' bench.p "$in")
cp "$dir/cmd.out" "$dir/load.json"
spilled=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["rows_spilled"], d["partitions_written"], d["data_files_added"])' "$dir/load.json")
target=$((512 * 1024 * 1024))
worst=$(find "$dir/wh" -path '*/data/*' -name '*.parquet' -printf '%h %s\n' | awk -v t=$target '
  { n[$1]++; b[$1] += $2 } END { w = 0; for (d in n) { x = n[d] - int((b[d] + t - 1) / t); if (x > w) w = x }; print w }')

ratio=$(awk -v a="$d_cpu" -v b="$i_cpu" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
read -r sp parts files <<<"$spilled"
echo "| rows | partitions (icestream / DuckDB) | files (icestream / DuckDB) | icestream s (CPU) | icestream RSS MiB | rows spilled | DuckDB s (CPU) | DuckDB RSS MiB | CPU ratio DuckDB / icestream | most files over ceil(bytes/target) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| $rows | $parts / $d_parts | $files / $d_files | $i_s ($i_cpu) | $((i_rss / 1024)) | $sp | $d_s ($d_cpu) | $((d_rss / 1024)) | ${ratio}x | $worst |"
