#!/usr/bin/env bash
# --memory-limit on the data shapes that used to break it (issue 7, item 12): peak RSS
# (from /usr/bin/time -v) and the load's own high-water mark (memory_peak_bytes) against
# the limit, or the early error the load gives when the input cannot fit.
#   wide     2,000 BIGINT columns x 20,000 rows          --memory-limit 16M
#   value    one 50 MB string                            --memory-limit 1M (must fail early)
#   pages    write.parquet.page-row-limit=1, 100k rows   --memory-limit 64M
#   batch    --batch-rows 1G, 2M narrow rows             --memory-limit 16M
# The limit bounds what the load buffers; the process image (binary, shared libraries)
# and the fixed codec/output contexts come on top, so each case also shows its RSS above
# that of a one-row load run the same way ("over base").
# usage: bench/load_memory_limit.sh        env: ICESTREAM (default build/icestream)
# Inputs are written once by tests/interop/gen_shapes.mjs (DuckDB, snappy) into
# bench/data/ (ignored by git). Needs `npm ci` in tests/interop.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ice=${ICESTREAM:-$here/build/icestream}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
gen=$here/tests/interop/gen_shapes.mjs
data=$here/bench/data
mkdir -p "$data"
dir=$(mktemp -d /tmp/ice-memlimit-XXXXXX)
trap 'rm -rf "$dir"' EXIT

input() { # NAME SHAPE ARGS...: bench/data/NAME.parquet, generated once
  local f=$data/$1.parquet
  [ -f "$f" ] || node "$gen" "$2" "$f" "${@:3}" >&2 || exit 1
  echo "$f"
}

base_kib=0
printf '| case | limit | exit | peak RSS MiB | RSS / limit | over base MiB | over base / limit | budget peak MiB | note |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
run_case() { # NAME LIMIT INPUT LOAD-ARGS...
  local name=$1 limit=$2 in=$3
  shift 3
  rm -rf "$dir/wh"
  /usr/bin/time -v "$ice" load --json --progress never --memory-limit "$limit" "$@" \
    --warehouse "$dir/wh" m.t "$in" >"$dir/out.json" 2>"$dir/err.log"
  local rc=$?
  local kib lim_b peak note
  kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/err.log")
  lim_b=$(numfmt --from=iec "${limit%B}")
  peak=-
  note=$(grep '^icestream: error' "$dir/err.log" | cut -c1-160)
  if [ "$rc" -eq 0 ]; then
    peak=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("%.1f" % (d["memory_peak_bytes"] / 1048576))' "$dir/out.json")
    note="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows_written"])' \
      "$dir/out.json") rows"
  fi
  [ "$name" = base ] && base_kib=$kib
  printf '| %s | %s | %d | %.0f | %.2f | %.1f | %.2f | %s | %s |\n' "$name" "$limit" "$rc" \
    "$(echo "$kib / 1024" | bc -l)" "$(echo "$kib * 1024 / $lim_b" | bc -l)" \
    "$(echo "($kib - $base_kib) / 1024" | bc -l)" \
    "$(echo "($kib - $base_kib) * 1024 / $lim_b" | bc -l)" "$peak" "$note"
}

run_case base 16M "$(input rows_1 rows 1)"

run_case wide 16M "$(input wide_2000x20000 wide 2000 20000)"
run_case value 1M "$(input value_50mb big-value 50000000)"
run_case pages 64M "$(input rows_100k rows 100000)" --property write.parquet.page-row-limit=1
run_case batch 16M "$(input rows_2m rows 2000000)" --batch-rows 1G
