#!/usr/bin/env bash
# Writer benchmark: `icestream rewrite` vs DuckDB `COPY ... (FORMAT parquet, COMPRESSION
# zstd)` on the same DuckDB-generated input, both single-threaded, at two sizes. Reports
# wall seconds, peak RSS (/usr/bin/time -v) and output bytes, and the ratios
# (speed = duckdb_s / icestream_s, size = icestream_bytes / duckdb_bytes).
#
# usage: bench/rewrite_vs_duckdb.sh [SMALL_ROWS [BIG_ROWS]]   (defaults 1000000 10000000)
# env:   ICESTREAM   binary (default: build/icestream, built with `make build` if absent)
#        THREADS     icestream --threads (default 1: the one-thread comparison; DuckDB
#                    runs one thread too)
#        BENCH_DIR   scratch directory (default: a fresh mktemp -d, removed at the end)
# DuckDB runs through @duckdb/node-api from tests/interop (npm ci there first); its RSS
# includes node's own ~50 MiB.
set -euo pipefail
threads=${THREADS:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
small=${1:-1000000}
big=${2:-10000000}
ice=${ICESTREAM:-$here/build/icestream}
if [ ! -x "$ice" ]; then
  if ! (cd "$here" && make build >/dev/null 2>&1); then
    # A warning elsewhere must not stop a benchmark: release build without -Werror.
    echo "make build failed; building build-bench (Release, ICE_WERROR=OFF)" >&2
    cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release -DICE_WERROR=OFF >/dev/null
    cmake --build "$here/build-bench" --target icestream_cli -j2 >/dev/null
    ice=$here/build-bench/icestream
  fi
fi
interop=$here/tests/interop
[ -d "$interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=${BENCH_DIR:-$(mktemp -d /tmp/ice-bench-XXXXXX)}
cleanup() { [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"; }
trap cleanup EXIT

# duck SQL... : runs statements single-threaded in one DuckDB instance (a script file,
# so /usr/bin/time can run it)
cat >"$dir/duck.mjs" <<JS
import { createRequire } from 'node:module';
const req = createRequire('$interop/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const c = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
for (const s of process.argv.slice(2)) await c.run(s);
JS
duck() { node "$dir/duck.mjs" "$@"; }

# A mixed table: ids, low-cardinality strings, free text, decimals, timestamps, doubles, a list.
gen() { # gen ROWS PATH
  duck "COPY (SELECT i::BIGINT AS id,
                 (i % 1000)::INTEGER AS small_int,
                 'category-' || (i % 50) AS category,
                 md5(i::VARCHAR) AS text,
                 ((i % 100000) * 1.37)::DECIMAL(18,2) AS amount,
                 TIMESTAMP '2020-01-01' + to_seconds(i) AS ts,
                 (i * 0.001)::DOUBLE AS x,
                 CASE WHEN i % 10 = 0 THEN NULL ELSE 'note ' || (i % 7919) END AS note,
                 [i % 10, i % 7] AS pair
          FROM range($1) t(i)) TO '$2' (FORMAT parquet, COMPRESSION snappy)"
}

measure() { # measure LABEL CMD... -> prints "wall_secs rss_kib cpu_secs"
  shift
  local log=$dir/time.log
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  # h:mm:ss or m:ss.cc -> seconds
  echo "$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }') $rss $cpu"
}

# speed = duck_s / ice_s (wall); cpu_speed = the same on user+sys CPU seconds, which is
# what to trust on a loaded machine.
printf '%-10s %9s %9s %9s %12s %9s %9s %9s %12s %7s %9s %6s\n' rows ice_s ice_cpu ice_MiB ice_bytes \
  duck_s duck_cpu duck_MiB duck_bytes speed cpu_speed size
for rows in $small $big; do
  in=$dir/in_$rows.parquet
  [ -f "$in" ] || gen "$rows" "$in" # kept between runs when BENCH_DIR is given
  rm -f "$dir/ice.parquet" "$dir/duck.parquet"
  read -r ice_s ice_rss ice_cpu < <(measure ice "$ice" rewrite --quiet --threads "$threads" "$in" "$dir/ice.parquet")
  read -r duck_s duck_rss duck_cpu < <(measure duck node "$dir/duck.mjs" "COPY (SELECT * FROM '$in') TO '$dir/duck.parquet' (FORMAT parquet, COMPRESSION zstd)")
  ice_b=$(stat -c %s "$dir/ice.parquet")
  duck_b=$(stat -c %s "$dir/duck.parquet")
  awk -v r="$rows" -v is="$ice_s" -v ic="$ice_cpu" -v ir="$ice_rss" -v ib="$ice_b" \
      -v ds="$duck_s" -v dc="$duck_cpu" -v dr="$duck_rss" -v db="$duck_b" \
    'BEGIN { printf "%-10s %9.2f %9.2f %9.1f %12d %9.2f %9.2f %9.1f %12d %7.2f %9.2f %6.2f\n",
             r, is, ic, ir/1024, ib, ds, dc, dr/1024, db, (is > 0 ? ds/is : 0),
             (ic > 0 ? dc/ic : 0), ib/db }'
done
