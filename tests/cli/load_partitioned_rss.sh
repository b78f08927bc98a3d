#!/usr/bin/env bash
# The memory limit holds for partitioned loads (issue 10): a random-order load over
# 2,400 partitions at --memory-limit 64M, once with the default writers (16 open, the
# rest through temporary runs) and once with 200 writers open (328 open files with the
# runs). Everything a load buffers is charged to its one budget, the files' write
# buffers included, so what the process holds beyond its baseline is the budget's
# high-water mark plus a small allowance:
#   peak RSS <= baseline + budget peak + allowance   and   budget peak <= limit,
# where the baseline is the peak RSS of a 10-row partitioned load by the same binary
# (binary, libc, SQLite catalog: ~12 MiB in a release build). Allowance: 8 MiB (heap
# fragmentation, the shared compression context); under ASan, whose shadow and
# allocator add a share of every heap byte, 16 MiB plus a quarter of the budget peak.
# Before the write buffers were charged, the 200-writer load held ~20 MiB beyond that
# (1 MiB per open file, uncharged) and failed here.
# While each load runs its open descriptors are sampled: never more than the writers
# and runs allowed plus a few (input, manifest, catalog, stdio).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
if ! have_duckdb; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
MIB=1048576
LIMIT_MIB=64

duck "SELECT setseed(0.25)" \
  "COPY (SELECT i::BIGINT AS id, (i * 7907 % 2400)::INTEGER AS p, md5(i::VARCHAR) AS payload,
      (i * 13 % 1000)::DOUBLE AS x FROM range(400000) t(i) ORDER BY random())
    TO '$TMP/in.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000)" \
  "COPY (SELECT * FROM '$TMP/in.parquet' LIMIT 10) TO '$TMP/tiny.parquet' (FORMAT parquet)" \
  >/dev/null || fail "DuckDB could not write the inputs"

sanitized=0
if grep -qa __asan_init "$ICESTREAM"; then
  sanitized=1
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
fi

# load_sampled NAME ARGS...: `load --json` in the background, its stdout in $TMP/out,
# the most descriptors seen open in $max_fds.
load_sampled() {
  "$ICESTREAM" load --json --warehouse "$WH" --memory-limit ${LIMIT_MIB}M "$@" \
    >"$TMP/out" 2>"$TMP/err" &
  local pid=$! n
  max_fds=0
  while kill -0 "$pid" 2>/dev/null; do
    n=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    [ "$n" -gt "$max_fds" ] && max_fds=$n
    sleep 0.02
  done
  wait "$pid"
  rc=$?
}

run load --json --warehouse "$WH" --memory-limit ${LIMIT_MIB}M --partition-by p db.tiny \
  "$TMP/tiny.parquet"
expect_ok "10-row baseline load"
base=$(jget "$TMP/out" "d['peak_rss_bytes']")
echo "baseline: peak RSS $((base / MIB)) MiB (sanitized=$sanitized)"

# check NAME TABLE MAX_FDS: the last load's memory and descriptors, and its rows.
check() {
  local rss peak allow
  rss=$(jget "$TMP/out" "d['peak_rss_bytes']")
  peak=$(jget "$TMP/out" "d['memory_peak_bytes']")
  allow=$((8 * MIB))
  [ $sanitized = 1 ] && allow=$((16 * MIB + peak / 4))
  echo "$1: peak RSS $((rss / MIB)) MiB, budget peak $((peak / MIB)) MiB," \
    "outside the budget $(((rss - base - peak) / MIB)) MiB over the baseline," \
    "$max_fds descriptors, $(jget "$TMP/out" "d['rows_spilled']") rows spilled"
  [ "$peak" -le $((LIMIT_MIB * MIB)) ] || fail "$1: the budget held $peak bytes, over its ${LIMIT_MIB}M"
  [ "$rss" -le $((base + peak + allow)) ] ||
    fail "$1: peak RSS $rss over baseline $base + budget peak $peak + $allow"
  [ "$rss" -le $((base + LIMIT_MIB * MIB + allow)) ] ||
    fail "$1: peak RSS $rss over baseline $base + the limit + $allow"
  [ "$max_fds" -le "$3" ] || fail "$1: $max_fds descriptors open, more than $3"
  [ "$max_fds" -ge 10 ] || fail "$1: only $max_fds descriptors seen (sampling missed the load?)"
  expect_eq "$1: partitions" "$(jget "$TMP/out" "d['partitions_written']")" 2400
  [ "$(jget "$TMP/out" "d['rows_spilled']")" -gt 0 ] || fail "$1: nothing spilled"
  expect_eq "$1: rows" "$(rowcount "$2")" 400000
  [ -z "$(ls -A "$TMPDIR")" ] || fail "$1: temporary runs left: $(ls "$TMPDIR")"
}

# 64M: 16 writers and 8 runs per level.
load_sampled --partition-by p db.t "$TMP/in.parquet"
expect_ok "default writers at ${LIMIT_MIB}M"
check "default writers" db.t $((16 + 8 + 16))

# 200 writers and 128 runs: the files' buffers are most of what is open.
load_sampled --partition-by p --property write.partition.max-open-files=200 db.wide \
  "$TMP/in.parquet"
expect_ok "200 writers at ${LIMIT_MIB}M"
check "200 writers" db.wide $((200 + 128 + 16))

finish
