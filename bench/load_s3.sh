#!/usr/bin/env bash
# S3 load benchmark: the same `icestream load` of one Parquet file into a new table,
# once into a local warehouse and once into s3://bench/wh on a local S3 server (s3rver
# from tests/interop, on loopback, storing under a temp folder on the same disk), back
# to back. Prints wall seconds and peak RSS (/usr/bin/time -v) of each, their ratios,
# and whether the S3 load's peak RSS is within 10 % of the local one (exit 1 if not).
#
# usage: bench/load_s3.sh [ROWS]   (default 20000000: ~1.07 GB, the load benchmark input)
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        PART_SIZE  s3.multipart.part-size (default: icestream's, 8 MiB)
# The input is generated once by duckdb_bench.mjs into bench/data/load_ROWS.parquet
# (shared with load_vs_duckdb.sh and load_rss.sh). Needs `npm ci` in tests/interop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000000}
ice=${ICESTREAM:-$here/build/icestream}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
nm=$here/tests/interop/node_modules
[ -d "$nm/@duckdb" ] && [ -x "$nm/.bin/s3rver" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=$(mktemp -d /tmp/ice-load-s3-XXXXXX)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$dir"' EXIT

in=$here/bench/data/load_$rows.parquet
mkdir -p "$here/bench/data"
[ -f "$in" ] || node "$here/bench/duckdb_bench.mjs" gen "$in" "$rows" snappy
cat "$in" >/dev/null
mib=$(( $(stat -c %s "$in") / 1048576 ))

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$dir/s3"
"$nm/.bin/s3rver" -d "$dir/s3" -a 127.0.0.1 -p "$port" --configure-bucket bench --silent \
  >"$dir/s3rver.log" 2>&1 &
srv=$!
for _ in $(seq 1 100); do
  python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' \
    "$port" 2>/dev/null && break
  sleep 0.1
done

measure() { # measure CMD... -> "seconds peak_rss_kib"
  local log=$dir/time.log
  /usr/bin/time -v "$@" >"$dir/out.json" 2>"$log" || { cat "$log" "$dir/out.json" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }') $rss"
}

part=()
[ -n "${PART_SIZE:-}" ] && part=(--catalog-property "s3.multipart.part-size=$PART_SIZE")
read -r local_s local_kb < <(measure "$ice" load --json --progress never \
  --warehouse "$dir/wh" bench.t "$in")
read -r s3_s s3_kb < <(AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
  measure "$ice" load --json --progress never --warehouse s3://bench/wh \
  --catalog "sqlite:$dir/s3.db" --catalog-property "s3.endpoint=http://127.0.0.1:$port" \
  "${part[@]}" bench.t "$in")
stored=$(du -sm "$dir/s3/bench" | cut -f1)
time_ratio=$(awk -v a="$s3_s" -v b="$local_s" 'BEGIN{ printf "%.2f", (b > 0 ? a / b : 0) }')
rss_ratio=$(awk -v a="$s3_kb" -v b="$local_kb" 'BEGIN{ printf "%.3f", (b > 0 ? a / b : 0) }')
printf '| rows | input MiB | local s | s3rver s | s3 / local time | local RSS MiB | s3 RSS MiB | s3 / local RSS | stored MiB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
printf '| %s | %s | %s | %s | %s | %d | %d | %s | %s |\n' "$rows" "$mib" "$local_s" "$s3_s" \
  "$time_ratio" $((local_kb / 1024)) $((s3_kb / 1024)) "$rss_ratio" "$stored"
awk -v r="$rss_ratio" 'BEGIN{ exit !(r <= 1.10) }' && echo "RSS within 10 %: yes" ||
  { echo "RSS within 10 %: NO"; exit 1; }
