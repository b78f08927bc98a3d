#!/usr/bin/env bash
# `load --mode overwrite-partitions` (Spark's dynamic overwrite). On tables partitioned by
# identity(k) (with a null partition), bucket(10, id) and a two-field spec
# (bucket(2, id), m), each with 10 partitions: an input touching 2 of them replaces
# exactly those 2 in one overwrite snapshot (files removed = files of those partitions,
# summary counters exact, replace-partitions=true, changed-partition-count 2); every row
# of the other 8 partitions is byte-equal before and after, the rows of the 2 are the
# input's. Which rows are in which partition is decided by tests/interop's own
# transforms (partition_rows.mjs), and check_partitions.mjs / check_table.mjs (DuckDB,
# icebird) read the result. Then: empty input commits nothing; --load-id; an
# unpartitioned table is replaced whole, its merge-on-read position delete file removed
# with it; after `alter --partition-by` the old spec's files and their position deletes
# stay. Concurrency (ICESTREAM_TEST_WAIT_AT holds the overwrite after its data is
# written): an append into a replaced partition, or a replace of the table, makes the
# overwrite fail with a conflict naming the partition, nothing committed and its files
# deleted; an append into another partition lets both land.
# Position deletes inside a replaced partition of a partitioned table (written by a
# merge-on-read merge) are covered by load_merge_partitioned.sh.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if ! have_duckdb || [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
mor_props=(--property write.merge.mode=merge-on-read --property write.update.mode=merge-on-read
  --property write.delete.mode=merge-on-read)

# 2000 rows: k = 0..8 or null (10 values), m = 0..4, id spread.
duck "COPY (SELECT (i * 7919 % 100003)::BIGINT AS id,
      CASE WHEN i % 10 = 9 THEN NULL ELSE (i % 10)::INTEGER END AS k,
      (i % 5)::INTEGER AS m, 'v' || i AS s
    FROM range(2000) t(i) ORDER BY hash(i)) TO '$TMP/base.parquet' (FORMAT parquet)" >/dev/null ||
  fail "DuckDB could not write the input"

sorted_scan() {
  "$ICESTREAM" scan --warehouse "$WH" "$1" 2>"$TMP/scan.err" | LC_ALL=C sort
}
# canon < JSONL: rows with integer columns as numbers (DuckDB prints BIGINT as a
# string), keys sorted, lines sorted: comparable text.
canon() {
  python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    for c in ("id", "k", "m"):
        if r.get(c) is not None: r[c] = int(r[c])
    print(json.dumps(r, sort_keys=True))' | LC_ALL=C sort
}
# rows_of FILE.parquet OUT.jsonl: the file's rows as JSON lines.
rows_of() {
  duck "SELECT * FROM '$1'" >"$2" || fail "DuckDB could not read $1"
}
# check_interop TABLE [deletes]: the independent partition check, then DuckDB and
# icebird read what `icestream scan` reads (check_scan.mjs applies delete files).
check_interop() {
  local meta
  meta=$(metadata_of "$1")
  meta=${meta#file:}
  node "$INTEROP/check_partitions.mjs" "$meta" >"$TMP/parts.json" 2>&1 ||
    fail "$1: check_partitions: $(head -c 1500 "$TMP/parts.json")"
  "$ICESTREAM" scan --warehouse "$WH" "$1" >"$TMP/scan.jsonl" 2>"$TMP/scan.err" ||
    fail "scan $1: $(cat "$TMP/scan.err")"
  if [ "${2:-}" = deletes ]; then
    node "$INTEROP/check_scan.mjs" "$meta" --map "file:/=/" --expect-jsonl "$TMP/scan.jsonl" \
      >"$TMP/check.out" 2>&1 || fail "$1: check_scan: $(tail -c 1500 "$TMP/check.out")"
    return
  fi
  node "$INTEROP/check_table.mjs" "$meta" --expect-rows "$(wc -l <"$TMP/scan.jsonl")" \
    --expect-jsonl "$TMP/scan.jsonl" >"$TMP/check.out" 2>&1 ||
    fail "$1: check_table: $(head -c 1500 "$TMP/check.out")"
}
# live_files TABLE: the data files of the current snapshot, sorted.
live_files() {
  local meta
  meta=$(metadata_of "$1")
  node "$INTEROP/list_live_files.mjs" "${meta#file:}" 2>/dev/null |
    python3 -c 'import json,sys; [print(json.loads(l)["path"]) for l in sys.stdin]' | LC_ALL=C sort
}

# overwrite_case NAME SPEC FIELDS NEW_SQL: creates db.NAME partitioned by SPEC from the
# base rows, overwrites it with the rows of NEW_SQL (which must touch 2 partitions) and
# checks the outcome.
overwrite_case() {
  local name=$1 spec=$2 fields=$3 new_sql=$4 t=db.$1
  run load --json --warehouse "$WH" --partition-by "$spec" "$t" "$TMP/base.parquet"
  expect_ok "$name: create"
  expect_eq "$name: 10 partitions" "$(jget "$TMP/out" "d['partitions_written']")" 10
  duck "COPY ($new_sql) TO '$TMP/$name.parquet' (FORMAT parquet)" >/dev/null || fail "$name: input"
  rows_of "$TMP/$name.parquet" "$TMP/$name.new.jsonl"
  local n_new
  n_new=$(wc -l <"$TMP/$name.new.jsonl" | tr -d ' ')
  expect_eq "$name: the input touches 2 partitions" \
    "$(node "$INTEROP/partition_rows.mjs" "$fields" "$TMP/$name.new.jsonl" count)" 2
  sorted_scan "$t" >"$TMP/before.jsonl"
  node "$INTEROP/partition_rows.mjs" "$fields" "$TMP/$name.new.jsonl" "$TMP/before.jsonl" kept >"$TMP/kept.before"
  node "$INTEROP/partition_rows.mjs" "$fields" "$TMP/$name.new.jsonl" "$TMP/before.jsonl" touched >"$TMP/gone"
  local gone files_before
  gone=$(wc -l <"$TMP/gone" | tr -d ' ')
  [ "$gone" -gt 0 ] || fail "$name: no stored row in the touched partitions"
  live_files "$t" >"$TMP/files.before"
  files_before=$(summary "$t" total-data-files)

  run load --json --mode overwrite-partitions --warehouse "$WH" "$t" "$TMP/$name.parquet"
  expect_ok "$name: overwrite-partitions"
  expect_eq "$name: snapshots" "$(snapcount "$t")" 2
  expect_eq "$name: operation" "$(summary "$t" operation)" overwrite
  expect_eq "$name: replace-partitions" "$(summary "$t" replace-partitions)" true
  expect_eq "$name: json counters" \
    "$(jget "$TMP/out" "(d['mode'], d['rows_written'], d['data_files_added'], d['data_files_removed'], d['partitions_written'])")" \
    "('overwrite-partitions', $n_new, 2, 2, 2)"
  expect_eq "$name: added-records" "$(summary "$t" added-records)" "$n_new"
  expect_eq "$name: deleted-records" "$(summary "$t" deleted-records)" "$gone"
  expect_eq "$name: added-data-files" "$(summary "$t" added-data-files)" 2
  expect_eq "$name: deleted-data-files" "$(summary "$t" deleted-data-files)" 2
  expect_eq "$name: changed-partition-count" "$(summary "$t" changed-partition-count)" 2
  expect_eq "$name: total-data-files" "$(summary "$t" total-data-files)" "$files_before"
  expect_eq "$name: total-records" "$(summary "$t" total-records)" $((2000 - gone + n_new))

  sorted_scan "$t" >"$TMP/after.jsonl"
  node "$INTEROP/partition_rows.mjs" "$fields" "$TMP/$name.new.jsonl" "$TMP/after.jsonl" kept >"$TMP/kept.after"
  cmp -s "$TMP/kept.before" "$TMP/kept.after" || fail "$name: rows of the other partitions changed"
  expect_eq "$name: rows kept" "$(wc -l <"$TMP/kept.after" | tr -d ' ')" $((2000 - gone))
  node "$INTEROP/partition_rows.mjs" "$fields" "$TMP/$name.new.jsonl" "$TMP/after.jsonl" touched |
    canon >"$TMP/touched.after"
  canon <"$TMP/$name.new.jsonl" >"$TMP/touched.want"
  cmp -s "$TMP/touched.after" "$TMP/touched.want" ||
    fail "$name: the touched partitions do not hold exactly the input"
  # the 8 other partitions keep their very files
  live_files "$t" >"$TMP/files.after"
  expect_eq "$name: files kept" "$(comm -12 "$TMP/files.before" "$TMP/files.after" | wc -l | tr -d ' ')" 8
  check_interop "$t"
}

overwrite_case ident k "identity:k:int" \
  "SELECT (500000 + i)::BIGINT AS id, CASE WHEN i % 2 = 0 THEN NULL ELSE 3 END::INTEGER AS k,
     (i % 5)::INTEGER AS m, 'new' || i AS s FROM range(30) t(i)"
[ -d "$WH/db/ident/data/k=null" ] || fail "no k=null folder"
expect_eq "ident: k=null holds the new rows only" \
  "$(sorted_scan db.ident | grep -c '"k":null')" 15

ids=$(cd "$INTEROP" && node partition_rows.mjs pick 'bucket[10]' long 600000 40 2 7)
overwrite_case bucket 'bucket(10, id)' "bucket[10]:id:long" \
  "SELECT id::BIGINT AS id, 4::INTEGER AS k, 1::INTEGER AS m, 'new' || id AS s
     FROM (SELECT unnest([$ids]) AS id)"

b0=$(cd "$INTEROP" && node partition_rows.mjs pick 'bucket[2]' long 700000 10 0)
b1=$(cd "$INTEROP" && node partition_rows.mjs pick 'bucket[2]' long 700000 10 1)
overwrite_case two 'bucket(2, id), m' "bucket[2]:id:long,identity:m:int" \
  "SELECT id::BIGINT AS id, NULL::INTEGER AS k, 1::INTEGER AS m, 'n' AS s FROM (SELECT unnest([$b0]) AS id)
   UNION ALL SELECT id::BIGINT, 2::INTEGER, 4::INTEGER, 'n' FROM (SELECT unnest([$b1]) AS id)"

# Empty input: nothing committed, and the load says so.
empty_parquet "$TMP/ident.parquet" "$TMP/empty.parquet" || fail "empty input"
meta=$(metadata_of db.ident)
run load --mode overwrite-partitions --warehouse "$WH" db.ident "$TMP/empty.parquet"
expect_ok "empty input"
grep -q "nothing to commit" "$TMP/out" || fail "empty input: $(cat "$TMP/out")"
expect_eq "empty input: nothing committed" "$(metadata_of db.ident)" "$meta"
expect_eq "empty input: snapshots" "$(snapcount db.ident)" 2

# --load-id: the second run with the same id commits nothing.
run load --mode overwrite-partitions --load-id L1 --warehouse "$WH" db.ident "$TMP/ident.parquet"
expect_ok "overwrite with a load id"
run load --json --mode overwrite-partitions --load-id L1 --warehouse "$WH" db.ident "$TMP/ident.parquet"
expect_ok "the same load id again"
expect_eq "same load id: nothing committed" "$(jget "$TMP/out" "d['committed']")" False
expect_eq "load id: snapshots" "$(snapcount db.ident)" 3
expect_eq "load id: rows unchanged" "$(summary db.ident total-records)" $((2000 - 400 + 30))

# An unpartitioned merge-on-read table with a position delete file: replaced whole.
duck "COPY (SELECT * FROM '$TMP/base.parquet' WHERE id % 3 = 0 AND k IS NOT NULL LIMIT 40) TO '$TMP/upd.parquet' (FORMAT parquet)" >/dev/null
run load --warehouse "$WH" --merge-key id "${mor_props[@]}" --mode merge db.flat "$TMP/base.parquet"
expect_ok "flat: create"
run load --json --warehouse "$WH" --merge-key id --mode merge --strategy delete-insert db.flat "$TMP/upd.parquet"
expect_ok "flat: merge-on-read merge"
expect_eq "flat: a position delete file" "$(summary db.flat total-delete-files)" 1
run load --json --mode overwrite-partitions --warehouse "$WH" db.flat "$TMP/ident.parquet"
expect_ok "flat: overwrite-partitions"
expect_eq "flat: everything removed" \
  "$(jget "$TMP/out" "(d['data_files_added'], d['data_files_removed'])")" "(1, 2)"
expect_eq "flat: summary" \
  "$(summary db.flat operation) $(summary db.flat replace-partitions) $(summary db.flat removed-position-delete-files) $(summary db.flat total-delete-files) $(summary db.flat total-records)" \
  "overwrite true 1 0 30"
sorted_scan db.flat >"$TMP/flat.jsonl"
canon <"$TMP/ident.new.jsonl" >"$TMP/flat.want"
canon <"$TMP/flat.jsonl" | cmp -s - "$TMP/flat.want" || fail "flat: rows are not the input"
check_interop db.flat

# An older spec's files and their position deletes stay: db.mor is unpartitioned with a
# delete file, then partitioned by k; the overwrite touches k=3 and null (spec 1).
run load --warehouse "$WH" --merge-key id "${mor_props[@]}" --mode merge db.mor "$TMP/base.parquet"
expect_ok "mor: create"
run load --warehouse "$WH" --merge-key id --mode merge --strategy delete-insert db.mor "$TMP/upd.parquet"
expect_ok "mor: merge-on-read merge"
sorted_scan db.mor >"$TMP/mor.before"
run alter --warehouse "$WH" db.mor --partition-by k
expect_ok "mor: alter --partition-by k"
run load --json --mode overwrite-partitions --warehouse "$WH" db.mor "$TMP/ident.parquet"
expect_ok "mor: overwrite-partitions over two specs"
expect_eq "mor: nothing of spec 0 removed" "$(jget "$TMP/out" "(d['data_files_added'], d['data_files_removed'])")" "(2, 0)"
expect_eq "mor: delete file kept" "$(summary db.mor total-delete-files)" 1
cat "$TMP/mor.before" "$TMP/ident.new.jsonl" | canon >"$TMP/mor.want"
sorted_scan db.mor | canon | cmp -s - "$TMP/mor.want" || fail "mor: rows are not the old rows plus the input"
check_interop db.mor deletes

# ---- concurrency: A (overwrite of k=3 and null) waits after writing its data.
nfiles() { find "$1" -type f | LC_ALL=C sort; }
# race TABLE B_INPUT B_OPTS...: A waits at data-written while B loads B_INPUT; then A
# goes on. Leaves A's JSON in $TMP/a.json and stderr in a.err; A's files in $TMP/a.files.
race() {
  local t=$1 dir=$WH/db/$1 b_input=$2
  shift 2
  nfiles "$dir" >"$TMP/l0"
  rm -f "$TMP/go"
  ICESTREAM_TEST_WAIT_AT=data-written ICESTREAM_TEST_WAIT_FILE=$TMP/go \
    "$ICESTREAM" load --json --mode overwrite-partitions --warehouse "$WH" "db.$t" "$TMP/ident.parquet" \
    >"$TMP/a.json" 2>"$TMP/a.err" &
  local a=$!
  for _ in $(seq 1 300); do # A's data files and manifest are written
    [ "$(nfiles "$dir" | grep -c 'metadata/.*-m[0-9]*\.avro$')" -gt "$(grep -c 'metadata/.*-m[0-9]*\.avro$' "$TMP/l0")" ] && break
    sleep 0.1
  done
  nfiles "$dir" >"$TMP/l1"
  comm -13 "$TMP/l0" "$TMP/l1" >"$TMP/a.files"
  "$ICESTREAM" load --json --warehouse "$WH" "$@" "db.$t" "$b_input" >"$TMP/b.json" 2>"$TMP/b.err" ||
    fail "$t: B failed: $(cat "$TMP/b.err")"
  touch "$TMP/go"
  wait "$a"
  a_rc=$?
}
duck "COPY (SELECT 900000::BIGINT AS id, 3::INTEGER AS k, 0::INTEGER AS m, 'b' AS s) TO '$TMP/b_k3.parquet' (FORMAT parquet)" \
  "COPY (SELECT 900001::BIGINT AS id, 5::INTEGER AS k, 0::INTEGER AS m, 'b' AS s) TO '$TMP/b_k5.parquet' (FORMAT parquet)" >/dev/null

for case in k3 replace k5; do
  t=race_$case
  run load --warehouse "$WH" --partition-by k "db.$t" "$TMP/base.parquet"
  expect_ok "$t: create"
  case $case in
    k3) race "$t" "$TMP/b_k3.parquet" ;;
    replace) race "$t" "$TMP/b_k5.parquet" --mode replace ;;
    k5) race "$t" "$TMP/b_k5.parquet" ;;
  esac
  [ -s "$TMP/a.files" ] || fail "$t: A wrote no file before B ran"
  if [ $case = k5 ]; then
    [ "$a_rc" -eq 0 ] || fail "$t: A failed: $(cat "$TMP/a.err")"
    expect_eq "$t: A committed on the second attempt" \
      "$(jget "$TMP/a.json" "(d['committed'], d['attempts'], d['data_files_removed'])")" "(True, 2, 2)"
    expect_eq "$t: both landed" "$(snapcount "db.$t")" 3
    expect_eq "$t: rows" "$(summary "db.$t" total-records)" $((2000 - 400 + 30 + 1))
    sorted_scan "db.$t" | grep -c '"id":900001' | grep -qx 1 || fail "$t: B's row is gone"
    check_interop "db.$t"
    continue
  fi
  [ "$a_rc" -eq 1 ] || fail "$t: A exit $a_rc, want 1 (a conflict): $(cat "$TMP/a.err" "$TMP/a.json")"
  case $case in
    k3) grep -q "concurrent commit (snapshot [0-9]*) added the data file .* in partition k=3, which this overwrite replaces" "$TMP/a.err" ||
      fail "$t: the conflict does not name the partition: $(cat "$TMP/a.err")" ;;
    replace) grep -q "concurrent commit (snapshot [0-9]*) removed .* in partition k=\(3\|null\)" "$TMP/a.err" ||
      fail "$t: the conflict does not name the removed file: $(cat "$TMP/a.err")" ;;
  esac
  expect_eq "$t: only B committed" "$(snapcount "db.$t")" 2
  nfiles "$WH/db/$t" >"$TMP/l3"
  expect_eq "$t: A's files deleted" "$(comm -12 "$TMP/a.files" "$TMP/l3" | wc -l | tr -d ' ')" 0
done
finish
