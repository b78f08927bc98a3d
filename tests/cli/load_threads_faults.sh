#!/usr/bin/env bash
# A failure in the middle of a threaded load fails it cleanly at --threads 1, 2 and 4,
# into an unpartitioned table and into a partitioned one whose rows pass through spill
# files in $TMPDIR (write.partition.max-open-files=2):
#  - bad page: an input whose row group 4 (of 6) has a garbage page header. The load
#    fails with one error line naming the input, the same text at every thread count,
#    after it had completed a data file (with test hooks: a run killed at the
#    "data-file" stage dies before reaching the error). A rewrite of that input fails
#    the same way at every thread count (read ahead above 1) and leaves no output.
#  - write error (test hooks only): ICESTREAM_TEST_FAIL_WRITE=n fails the nth write as
#    a full disk would, for every n from 1 until the load succeeds (data files, spill
#    files, manifest, manifest list, metadata).
# Either way: nothing committed (catalog pointer and every file of the table as before,
# rows as before), and nothing left in $TMPDIR. Allocation failures in a threaded load
# are tests/unit/test_api_alloc_failures_threads.c (the CLI has no way to inject them).
# The hooked cases are guarded here, as an #ifdef ICE_TEST_HOOKS would: a binary
# without hooks (the ThreadSanitizer job's) runs the bad-page cases only.
# Inputs written by DuckDB.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
hooks=0
strings "$ICESTREAM" | grep -q ICESTREAM_TEST_FAIL_WRITE && hooks=1
[ $hooks = 1 ] || echo "# $ICESTREAM has no test hooks: write failures and kill points skipped"
have_duckdb || { fail "DuckDB is not installed in tests/interop/node_modules"; finish; }
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"

in=$TMP/in.parquet
duck "COPY (SELECT i::BIGINT AS id, (i * 7919 % 1000)::INTEGER AS qty,
        md5(i::VARCHAR) AS token FROM range(60000) t(i))
      TO '$in' (FORMAT parquet, ROW_GROUP_SIZE 10000)" >/dev/null ||
  fail "DuckDB could not write the input"
groups=$(duck "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('$in')")
expect_eq "row groups in the input" "$groups" '{"n":"6"}'
# The first page header of column 'token' in row group 4 becomes 16 bytes of 0xff.
off=$(duck "SELECT data_page_offset AS o FROM parquet_metadata('$in')
            WHERE row_group_id = 4 AND path_in_schema = 'token'" | python3 -c \
  'import json,sys; print(json.loads(sys.stdin.read())["o"])')
bad=$TMP/bad.parquet
cp "$in" "$bad"
printf '\377%.0s' {1..16} | dd of="$bad" bs=1 seek="$off" conv=notrunc status=none ||
  fail "could not corrupt the input"

# Small data files: several are complete before row group 4 is read.
props=(--property write.target-file-size-bytes=250000
       --property write.parquet.page-size-bytes=65536
       --property write.partition.max-open-files=2)
run load --warehouse "$WH" "${props[@]}" db.t "$in"
expect_ok "setup load db.t"
run load --warehouse "$WH" "${props[@]}" --partition-by 'bucket(8, id)' db.p "$in"
expect_ok "setup load db.p"
declare -A rows=([t]=60000 [p]=60000)
declare -A bad_text=() write_text=()

# state TABLE: the catalog's metadata location and every file under the table.
state() {
  metadata_of "db.$1"
  (cd "$WH/db/$1" && find . -type f | sort)
}

# expect_clean WHAT TABLE STATE: the table is as STATE says and $TMPDIR is empty.
expect_clean() {
  [ "$(state "$2")" = "$3" ] || fail "$1: the table changed: $(diff <(echo "$3") <(state "$2") | head -5)"
  local left
  left=$(find "$TMPDIR" -mindepth 1 | head -3)
  [ -z "$left" ] || fail "$1: left in \$TMPDIR: $left"
}

rewrite_text=
for t in 1 2 4; do
  # A rewrite reads the bad input ahead above 1 thread: the same error, no output.
  run rewrite --threads "$t" "$bad" "$TMP/rw.parquet"
  expect_error "rewrite of the bad input, --threads $t" 1 \
    "bad\.parquet: row group 4: column 'token': page 0: page header"
  [ -n "$rewrite_text" ] || rewrite_text=$(cat "$TMP/err")
  expect_eq "rewrite error, --threads $t" "$(cat "$TMP/err")" "$rewrite_text"
  [ ! -e "$TMP/rw.parquet" ] || fail "rewrite --threads $t left its output"
  for tb in t p; do
    before=$(state $tb)
    run load --warehouse "$WH" --threads "$t" "db.$tb" "$bad"
    expect_error "bad page, db.$tb, --threads $t" 1 \
      "bad\.parquet: row group 4: column 'token': page 0: page header"
    [ -n "${bad_text[$tb]:-}" ] || bad_text[$tb]=$(cat "$TMP/err")
    expect_eq "bad page error, db.$tb, --threads $t" "$(cat "$TMP/err")" "${bad_text[$tb]}"
    expect_clean "bad page, db.$tb, --threads $t" $tb "$before"
    [ $hooks = 1 ] || continue

    n=1
    while :; do
      ICESTREAM_TEST_FAIL_WRITE=$n run load --warehouse "$WH" --threads "$t" "db.$tb" "$in"
      [ "$rc" -eq 0 ] && break
      expect_error "write $n fails, db.$tb, --threads $t" 1 \
        "write failed: No space left on device"
      # Into db.t the writes come in the same order at every thread count (a row group
      # written behind the writer too): the same message names the same place (file
      # names aside: they hold each load's id).
      if [ $tb = t ]; then
        msg=$(sed -E 's#[^ :/]+\.(avro|json|parquet)#FILE#g' "$TMP/err")
        [ -n "${write_text[$n]:-}" ] || write_text[$n]=$msg
        expect_eq "write $n error, db.t, --threads $t" "$msg" "${write_text[$n]}"
      fi
      expect_clean "write $n fails, db.$tb, --threads $t" $tb "$before"
      n=$((n + 1))
      [ "$n" -le 400 ] || { fail "db.$tb, --threads $t: still failing at write $n"; break; }
    done
    expect_ok "load with write $n failing (never reached), db.$tb, --threads $t"
    echo "# db.$tb, --threads $t: writes 1 to $((n - 1)) each failed the load cleanly"
    # Data files, a manifest, a manifest list and metadata: at least 5 write points.
    [ "$n" -gt 5 ] || fail "db.$tb, --threads $t: only $((n - 1)) writes failed"
    rows[$tb]=$((rows[$tb] + 60000))
  done
  [ $hooks = 1 ] || continue
  # The bad page is past the first complete data file.
  (ICESTREAM_TEST_KILL_AT=data-file "$ICESTREAM" load --warehouse "$TMP/kill$t" \
    --threads "$t" "${props[@]}" db.t "$bad" >/dev/null 2>&1; exit $?) 2>/dev/null
  expect_eq "bad input killed at the first data file, --threads $t" "$?" 137
  rm -rf "$TMPDIR"/* "$TMP/kill$t"
done
expect_eq "db.t rows" "$(rowcount db.t)" "${rows[t]}"
expect_eq "db.p rows" "$(rowcount db.p)" "${rows[p]}"
finish
