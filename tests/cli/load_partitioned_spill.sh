#!/usr/bin/env bash
# Partitioned loads whose input is not clustered by partition: 10,000 partitions in random
# order under --memory-limit 128M (at most write.partition.max-open-files writers open;
# rows of the other partitions go through temporary runs in $TMPDIR, routed again level
# by level). The rows equal those of the unpartitioned load, each partition gets at most
# ceil(its bytes / target) + 1 files (never one per batch), the load's budget high-water
# mark stays under the limit, and so does the peak RSS (/usr/bin/time) but for a fixed
# allowance (below). A tiny max-open-files makes
# every level spill. Temporary runs are gone after every load (load_partitioned_kill.sh
# kills one mid-spill).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if ! have_duckdb; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
ROWS=${ICE_TEST_SPILL_ROWS:-200000}
TARGET=1536 # bytes: a partition of ~20 rows takes two or three files

duck "SELECT setseed(0.125)" \
  "COPY (SELECT i::BIGINT AS id, (i * 7907 % 10000)::INTEGER AS p,
      md5(i::VARCHAR) AS payload FROM range($ROWS) t(i) ORDER BY random())
    TO '$TMP/in.parquet' (FORMAT parquet, ROW_GROUP_SIZE 50000)" >/dev/null ||
  fail "DuckDB could not write the input"

sanitized=0
grep -qa __asan_init "$ICESTREAM" && sanitized=1

# parts_ok TABLE_DIR: no partition has more files than ceil(bytes / target) + 1.
parts_ok() {
  find "$1/data" -name '*.parquet' -printf '%h %s\n' | awk -v t=$TARGET '
    { n[$1]++; b[$1] += $2 }
    END { bad = 0; for (d in n) { want = int((b[d] + t - 1) / t) + 1; if (n[d] > want) { bad++; if (bad < 4) print d, n[d], b[d] } }
          print "partitions", length(n), "over", bad }'
}

run load --warehouse "$WH" db.ref "$TMP/in.parquet"
expect_ok "unpartitioned reference"
"$ICESTREAM" scan --warehouse "$WH" db.ref | LC_ALL=C sort >"$TMP/ref.jsonl"

# Under ASan the heap has 1/8 more in shadow, the allocator keeps slack and the runtime
# its own tables: quarantine off, the limit + 25% + 64 MiB; a plain build gets the
# limit + 16 MiB (binary, libc and catalog, as `load --help` says ~8 MiB).
allow_kib=$(((128 + 16) * 1024))
if [ $sanitized = 1 ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
  allow_kib=$((128 * 1024 * 5 / 4 + 64 * 1024))
fi
/usr/bin/time -v -o "$TMP/time" "$ICESTREAM" load --json --warehouse "$WH" --memory-limit 128M \
  --partition-by p --property write.target-file-size-bytes=$TARGET db.t "$TMP/in.parquet" \
  >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_ok "10,000 partitions in random order at --memory-limit 128M"
rss_kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$TMP/time")
peak=$(jget "$TMP/out" "d['memory_peak_bytes']")
echo "10,000 partitions: peak RSS $((rss_kib / 1024)) MiB, budget peak $((peak / 1048576)) MiB, spilled $(jget "$TMP/out" "d['rows_spilled']") rows, $(jget "$TMP/out" "d['data_files_added']") files"
[ "$peak" -le $((128 * 1048576)) ] || fail "the load held $peak bytes, over its 128M budget"
[ "$rss_kib" -le "$allow_kib" ] || fail "peak RSS $rss_kib KiB over the allowance of $allow_kib KiB"
[ $sanitized = 1 ] && unset ASAN_OPTIONS
expect_eq "partitions written" "$(jget "$TMP/out" "d['partitions_written']")" 10000
expect_eq "changed-partition-count" "$(summary db.t changed-partition-count)" 10000
[ "$(jget "$TMP/out" "d['rows_spilled']")" -gt 0 ] || fail "10,000 partitions at 128M did not spill"
"$ICESTREAM" scan --warehouse "$WH" db.t | LC_ALL=C sort | cmp -s - "$TMP/ref.jsonl" ||
  fail "rows differ from the unpartitioned load"
res=$(parts_ok "$WH/db/t")
echo "$res" | tail -1 | grep -q '^partitions 10000 over 0$' || fail "files per partition: $res"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary runs left: $(ls "$TMPDIR")"

# Every level spills: 2 writers open, 1,000 partitions (a share of the input).
duck "COPY (SELECT id, p % 1000 AS p, payload FROM '$TMP/in.parquet' WHERE id < 40000)
  TO '$TMP/small.parquet' (FORMAT parquet)" >/dev/null
run load --warehouse "$WH" db.smallref "$TMP/small.parquet"
"$ICESTREAM" scan --warehouse "$WH" db.smallref | LC_ALL=C sort >"$TMP/smallref.jsonl"
run load --json --warehouse "$WH" --partition-by p --property write.partition.max-open-files=2 \
  --property write.target-file-size-bytes=$TARGET db.tiny "$TMP/small.parquet"
expect_ok "max-open-files 2"
[ "$(jget "$TMP/out" "d['rows_spilled']")" -gt 40000 ] || fail "max-open-files 2 did not spill at several levels"
"$ICESTREAM" scan --warehouse "$WH" db.tiny | LC_ALL=C sort | cmp -s - "$TMP/smallref.jsonl" ||
  fail "max-open-files 2: rows differ"
res=$(parts_ok "$WH/db/tiny")
echo "$res" | tail -1 | grep -q '^partitions 1000 over 0$' || fail "max-open-files 2: files per partition: $res"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary runs left: $(ls "$TMPDIR")"
node "$INTEROP/check_partitions.mjs" "$(metadata_of db.tiny | sed 's/^file://')" >"$TMP/parts.json" 2>&1 ||
  fail "check_partitions: $(head -c 1500 "$TMP/parts.json")"
run load --warehouse "$WH" --property write.partition.max-open-files=0 --partition-by p db.bad "$TMP/in.parquet"
expect_error "max-open-files 0" 1 "max-open-files"

finish
