#!/usr/bin/env bash
# Threads benchmark (issue 12): the same jobs at --threads 1 and --threads 2, side by
# side with DuckDB at its default threads, in one run:
#   - `icestream load` of the 20M-row load input (bench/duckdb_bench.mjs gen, snappy;
#     cached in bench/data, shared with bench/load_s3.sh) into a new table;
#   - DuckDB `COPY (SELECT * FROM read_parquet(IN)) TO OUT (FORMAT parquet, COMPRESSION
#     zstd)` of the same input, default threads (one per core);
#   - `icestream rewrite` of the same input (zstd);
#   - `icestream load --partition-by 'day(ts), bucket(16, id)'` of the partitioned input
#     (bench/partitioned_vs_duckdb.sh's, cached in bench/data);
#   - the per-core ceiling: the zstd tool at -3 (-T1 and -T2) on the load's pages
#     written uncompressed (needs Debian's zstd; skipped without it).
# Reported per run: wall and CPU seconds (user + sys) and peak RSS (/usr/bin/time -v);
# per job: the speed-up of 2 threads over 1 (wall) and per core (speed-up / 2); for the
# load, DuckDB's wall time over icestream's (above 1 = icestream faster).
#
# usage: bench/threads_vs_duckdb.sh [ROWS]   (default 20000000, both inputs)
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        MEMORY_LIMIT  icestream --memory-limit (default 256M)
# Needs `npm ci` in tests/interop (DuckDB from npm; its RSS includes node's ~50 MiB).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000000}
ice=${ICESTREAM:-$here/build/icestream}
mem=${MEMORY_LIMIT:-256M}
interop=$here/tests/interop
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=$(mktemp -d /tmp/ice-threads-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$here/bench/data"

in=$here/bench/data/load_$rows.parquet
[ -f "$in" ] || node "$here/bench/duckdb_bench.mjs" gen "$in" "$rows" snappy
pin=$here/bench/data/partitioned_$rows.parquet
[ -f "$pin" ] || bash "$here/bench/partitioned_vs_duckdb.sh" "$rows" >/dev/null
cat "$in" "$pin" >/dev/null # page cache warm for every contender

# DuckDB at its default threads (duckdb_bench.mjs pins one thread).
cat >"$dir/duck.mjs" <<JS
import { createRequire } from 'node:module';
const req = createRequire('$interop/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const c = await (await DuckDBInstance.create(':memory:')).connect();
for (const s of process.argv.slice(2)) await c.run(s);
JS

measure() { # measure CMD... -> "wall cpu rss_kib"
  local log=$dir/time.log
  /usr/bin/time -v "$@" >"$dir/cmd.out" 2>"$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    END { printf "%.2f %.2f %d\n", w, u + s, r }' "$log"
}
row() { # row JOB THREADS WALL CPU RSS_KIB SPEEDUP PER_CORE VS_DUCKDB
  printf '| %s | %s | %s | %s | %d | %s | %s | %s |\n' "$1" "$2" "$3" "$4" $(($5 / 1024)) "$6" "$7" "$8"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "| job | threads | wall s | CPU s | peak RSS MiB | speed-up vs 1 thread | per core | DuckDB wall / icestream wall |"
echo "|---|---|---|---|---|---|---|---|"
read -r d_s d_cpu d_rss < <(measure node "$dir/duck.mjs" \
  "COPY (SELECT * FROM read_parquet('$in')) TO '$dir/duck.parquet' (FORMAT parquet, COMPRESSION zstd)")
rm -f "$dir/duck.parquet"
row "DuckDB COPY" "default ($(nproc))" "$d_s" "$d_cpu" "$d_rss" - - -

# job NAME CMD...: CMD at --threads 1 and 2 (appended), its output removed after each.
job() {
  local name=$1 w1 c1 r1 w2 c2 r2
  shift
  rm -rf "$dir/wh" "$dir/out.parquet"
  read -r w1 c1 r1 < <(measure "$@" --threads 1)
  rm -rf "$dir/wh" "$dir/out.parquet"
  read -r w2 c2 r2 < <(measure "$@" --threads 2)
  rm -rf "$dir/wh" "$dir/out.parquet"
  local vs1=- vs2=-
  if [ "$name" = load ]; then vs1=$(ratio "$d_s" "$w1"); vs2=$(ratio "$d_s" "$w2"); fi
  local sp
  sp=$(ratio "$w1" "$w2")
  row "$name" 1 "$w1" "$c1" "$r1" 1.00 1.00 "$vs1"
  row "$name" 2 "$w2" "$c2" "$r2" "$sp" "$(awk -v s="$sp" 'BEGIN { printf "%.2f", s / 2 }')" "$vs2"
}
job load "$ice" load --progress never --memory-limit "$mem" --warehouse "$dir/wh" bench.t "$in"
job rewrite "$ice" rewrite --quiet "$in" "$dir/out.parquet"
job "partitioned load" "$ice" load --progress never --memory-limit "$mem" --warehouse "$dir/wh" \
  --partition-by 'day(ts), bucket(16, id)' bench.p "$pin"

# The per-core ceiling: zstd alone (level 3, the load's codec and level) on the bytes the
# load compresses, i.e. the same input's pages written uncompressed by icestream (the
# same pages: the writer's choices do not depend on the codec).
if command -v zstd >/dev/null; then
  "$ice" rewrite --quiet --codec uncompressed "$in" "$dir/raw.parquet"
  raw_mib=$(( $(stat -c %s "$dir/raw.parquet") / 1048576 ))
  for t in 1 2; do
    read -r zw zc zr < <(measure zstd -q -3 -T$t -f "$dir/raw.parquet" -o "$dir/raw.zst")
    row "zstd -3 on the load's $raw_mib MiB of pages" "$t" "$zw" "$zc" "$zr" - - -
    rm -f "$dir/raw.zst"
  done
  rm -f "$dir/raw.parquet"
fi
echo
echo "--memory-limit $mem; $(nproc) online CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
