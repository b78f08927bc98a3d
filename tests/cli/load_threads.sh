#!/usr/bin/env bash
# --threads: a load (unpartitioned, partitioned, partitioned with spilling, a replace)
# and a rewrite at --threads 1 and --threads 4 over the same input write the same data
# files byte for byte (paired in name order: the names differ only by each load's id),
# the same manifest entries (counts, sizes, bounds, partitions; read with avsc, not our
# Avro code) and, for the replace, the same snapshot summary; a tight
# --memory-limit holds at 4 threads, and a value that cannot fit fails cleanly.
# Inputs are written by DuckDB (tests/interop/node_modules).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_threads.bash"
have_duckdb || { fail "DuckDB is not installed in tests/interop/node_modules"; finish; }

in=$TMP/in.parquet
duck "COPY (SELECT i::BIGINT AS id, (i * 7919 % 1000)::INTEGER AS qty,
        CASE WHEN i % 7 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS token,
        ['red','green','blue','grey'][1 + i % 4] AS colour,
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 1000) / 8.0 END AS price,
        CASE WHEN i % 3 = 0 THEN NULL ELSE [i % 10, i % 7] END AS pair,
        {'x': i % 100, 'tag': 't' || (i % 37)::VARCHAR} AS point
      FROM range(300000) t(i)) TO '$in' (FORMAT parquet, ROW_GROUP_SIZE 50000)" >/dev/null ||
  fail "DuckDB could not write the input"

# Small data files and pages, so each load writes several files of many pages.
props=(--property write.target-file-size-bytes=2000000
       --property write.parquet.page-size-bytes=65536)

for t in 1 4; do
  run load --json --warehouse "$TMP/wh$t" --threads "$t" "${props[@]}" db.t "$in"
  expect_ok "load --threads $t"
  expect_eq "rows at --threads $t" "$(jget "$TMP/out" "d['rows_written']")" 300000
  run load --json --warehouse "$TMP/wh$t" --threads "$t" "${props[@]}" \
    --partition-by 'bucket(3, id)' db.p "$in"
  expect_ok "partitioned load --threads $t"
  # Two open writers for eight buckets: rows spill to temporary runs, which are
  # written side by side too, then routed again.
  run load --json --warehouse "$TMP/wh$t" --threads "$t" "${props[@]}" \
    --property write.partition.max-open-files=2 --partition-by 'bucket(8, id)' db.s "$in"
  expect_ok "spilling partitioned load --threads $t"
  [ "$(jget "$TMP/out" "d['rows_spilled']")" -gt 0 ] || fail "--threads $t: nothing spilled"
  # A replace over what is there: the same files and the same summary.
  run load --json --warehouse "$TMP/wh$t" --threads "$t" "${props[@]}" --mode replace \
    db.r "$in"
  run load --json --warehouse "$TMP/wh$t" --threads "$t" "${props[@]}" --mode replace \
    db.r "$in"
  expect_ok "replace --threads $t"
  WH=$TMP/wh$t "$ICESTREAM" snapshots --json --warehouse "$TMP/wh$t" db.r >"$TMP/snaps$t.json"
  run rewrite --threads "$t" --page-bytes 65536 --row-group-bytes 1000000 "$in" \
    "$TMP/rw$t.parquet"
  expect_ok "rewrite --threads $t"
done
same_files "$TMP/wh1/db/t" "$TMP/wh4/db/t" "unpartitioned load"
same_files "$TMP/wh1/db/p" "$TMP/wh4/db/p" "partitioned load" 3
same_files "$TMP/wh1/db/s" "$TMP/wh4/db/s" "spilling partitioned load" 8
same_files "$TMP/wh1/db/r" "$TMP/wh4/db/r" "replaced table" 4
expect_eq "spilling partitioned manifest entries" "$(entries "$TMP/wh4" db.s)" \
  "$(entries "$TMP/wh1" db.s)"
expect_eq "replace manifest entries" "$(entries "$TMP/wh4" db.r)" "$(entries "$TMP/wh1" db.r)"
summ() { # the current snapshot's summary of snapshots file $1, without what names a load
  jget "$1" "sorted((k, v) for k, v in d[-1]['summary'].items() if k not in ('icestream.load-id',))"
}
s1=$(summ "$TMP/snaps1.json")
case "$s1" in *added-records*) ;; *) fail "no summary read: $s1" ;; esac
expect_eq "replace summary" "$(summ "$TMP/snaps4.json")" "$s1"
cmp -s "$TMP/rw1.parquet" "$TMP/rw4.parquet" || fail "rewrite at 1 and 4 threads differs"
e1=$(entries "$TMP/wh1" db.t)
[ -n "$e1" ] || fail "no manifest entries read"
expect_eq "manifest entries" "$(entries "$TMP/wh4" db.t)" "$e1"
expect_eq "partitioned manifest entries" "$(entries "$TMP/wh4" db.p)" \
  "$(entries "$TMP/wh1" db.p)"
expect_eq "rows read back" "$(WH=$TMP/wh4 rowcount db.p)" 300000

# The memory limit covers every thread's buffers.
run load --json --warehouse "$TMP/whm" --threads 4 --memory-limit 8M db.m "$in"
expect_ok "--threads 4 --memory-limit 8M"
peak=$(jget "$TMP/out" "d.get('memory_peak_bytes', -1)")
[ "$peak" -gt 0 ] && [ "$peak" -le 8388608 ] || fail "4 threads at 8M held $peak bytes"

# A value that cannot fit fails the threaded load cleanly: named, nothing left behind.
node "$INTEROP_DIR/gen_shapes.mjs" big-value "$TMP/big.parquet" 3000000 ||
  fail "DuckDB could not write big.parquet"
for t in 1 4; do
  run load --warehouse "$TMP/whb" --threads "$t" --memory-limit 1M db.b "$TMP/big.parquet"
  expect_error "a 3 MB value at 1M, --threads $t" 1 "column 'big'.*limit of 1.0 MiB reached"
done
[ -n "$(find "$TMP/whb" -name '*.parquet' 2>/dev/null)" ] && fail "a failed load left data files"

run load --warehouse "$TMP/wh1" --threads 0 db.t "$in"
expect_error "--threads 0" 2 "--threads: expected an integer from 1 to 256"
run rewrite --threads x "$in" "$TMP/x.parquet"
expect_error "rewrite --threads x" 2 "rewrite: --threads: expected an integer from 0 to 256"
finish
