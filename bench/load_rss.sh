#!/usr/bin/env bash
# Memory bound of `icestream load`: peak RSS (from /usr/bin/time -v) loading one Parquet
# file into a new Iceberg table at two input sizes (~1 GB and ~4 GB by default), under
# the default --memory-limit (256M). The load must stay under that limit and the two
# peaks within 10 % of each other (memory set by the limit and page sizes, not by the
# input size). Prints a markdown table, then the verdict; exits 1 if the bound fails.
#
# usage: bench/load_rss.sh [ROWS...]   (default 18000000 72000000: ~1 GB and ~4 GB)
# env:   ICESTREAM     binary (default build/icestream; `make build`)
#        MEMORY_LIMIT  passed as --memory-limit when set (else the default applies)
# Inputs are generated once by duckdb_bench.mjs (snappy, 10 columns, 1M-row row groups)
# into bench/data/load_ROWS.parquet (ignored by git) and reused. Needs `npm ci` in
# tests/interop. Takes minutes at the default sizes.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ice=${ICESTREAM:-$here/build/icestream}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
[ $# -gt 0 ] || set -- 18000000 72000000
data=$here/bench/data
mkdir -p "$data"
limit_args=()
limit_mib=256
if [ -n "${MEMORY_LIMIT:-}" ]; then
  limit_args=(--memory-limit "$MEMORY_LIMIT")
  limit_mib=$(numfmt --from=iec --to-unit=1048576 "${MEMORY_LIMIT%B}")
fi
dir=$(mktemp -d /tmp/ice-load-rss-XXXXXX)
trap 'rm -rf "$dir"' EXIT

printf '| rows | input MiB | data files | output MiB | seconds | peak RSS MiB |\n'
printf '|---|---|---|---|---|---|\n'
peaks=()
for rows in "$@"; do
  in=$data/load_$rows.parquet
  [ -f "$in" ] || node "$here/bench/duckdb_bench.mjs" gen "$in" "$rows" snappy
  cat "$in" >/dev/null # page cache warm, so the timing is the load's, not the disk's
  rm -rf "$dir/wh"
  /usr/bin/time -v "$ice" load --json --progress never "${limit_args[@]}" \
    --warehouse "$dir/wh" t.t "$in" >"$dir/load.json" 2>"$dir/time.log" ||
    { cat "$dir/time.log" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.log" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.log")
  read -r got files out_bytes < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["rows_written"], d["data_files_added"], d["bytes_written"])' "$dir/load.json")
  [ "$got" -eq "$rows" ] || { echo "load of $in wrote $got rows, expected $rows" >&2; exit 1; }
  printf '| %s | %d | %s | %d | %s | %d |\n' "$rows" $(($(stat -c %s "$in") / 1048576)) \
    "$files" $((out_bytes / 1048576)) "$wall" $((rss_kib / 1024))
  peaks+=("$rss_kib")
done

# Verdict: every peak under the limit; largest within 10 % of the smallest.
printf '%s\n' "${peaks[@]}" | awk -v lim="$limit_mib" '
  { kib[NR] = $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
  END {
    ok = hi / 1024 <= lim && hi <= lo * 1.10
    printf "\npeak RSS %.0f..%.0f MiB (limit %d MiB, spread %.1f %%): %s\n",
           lo / 1024, hi / 1024, lim, (hi - lo) * 100.0 / lo, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1
  }'
