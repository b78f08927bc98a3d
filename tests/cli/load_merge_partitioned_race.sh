#!/usr/bin/env bash
# A merge into a bucket(4, id) table re-validated against an append that commits while
# the merge waits after writing its data (ICESTREAM_TEST_WAIT_AT=data-written), copy-on-
# write and merge-on-read. The merge updates three stored keys of one bucket, spread
# over the id range:
#   - an append of one of those keys (same bucket): the merge fails with a conflict,
#     nothing of it committed, the append's row kept;
#   - an append of a file of another bucket whose key bounds hold one of the merge's
#     keys (column bounds admit it, the partition does not): the merge lands on top of
#     it, both changes there.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

node --input-type=module -e "
import { murmur3, bucketBytes } from '$INTEROP_DIR/lib_partition.mjs';
const o = {};
for (let i = 0; i < 5000; i++) o[i] = ((murmur3(bucketBytes('int', BigInt(i))) & 0x7fffffff) >>> 0) % 4;
console.log(JSON.stringify(o));" >"$TMP/buckets.json" || fail "bucket map"
# k1 k2 k3: stored keys of one bucket; x < k2 < y: two keys of one other bucket (left
# out of the base, so the append adds them in one file whose bounds hold k2).
read -r k1 k2 k3 x y <<<"$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
ks = [i for i in range(4000) if b[str(i)] == b["17"]]
k2 = ks[len(ks) // 2]
c = (b["17"] + 1) % 4
x = max(i for i in range(k2) if b[str(i)] == c)
y = min(i for i in range(k2 + 1, 4000) if b[str(i)] == c)
print(ks[0], k2, ks[-1], x, y)' "$TMP/buckets.json")"
duck "COPY (SELECT i::INTEGER AS id, 0::INTEGER AS v FROM range(4000) t(i) WHERE i NOT IN ($x, $y)) TO '$D/base.parquet'" \
  "COPY (SELECT * FROM (VALUES ($k1, 1), ($k2, 2), ($k3, 3)) t(id, v)) TO '$D/m.parquet'" \
  "COPY (SELECT $k2::INTEGER AS id, -1::INTEGER AS v) TO '$D/same.parquet'" \
  "COPY (SELECT * FROM (VALUES ($x, -2), ($y, -3)) t(id, v)) TO '$D/other.parquet'" >/dev/null ||
  fail "duckdb: inputs"

manifests() { find "$WH/$1/metadata" -name '*-m[0-9]*.avro' 2>/dev/null | wc -l; }
# race TABLE B_INPUT: the merge of m.parquet waits after writing its data while B_INPUT
# is appended; then it goes on. Its JSON in $TMP/a.json, stderr in a.err, status a_rc.
race() {
  local t=$1 dir=${1/./\/}
  local before
  before=$(manifests "$dir")
  rm -f "$TMP/go"
  ICESTREAM_TEST_WAIT_AT=data-written ICESTREAM_TEST_WAIT_FILE=$TMP/go \
    "$ICESTREAM" load --json --warehouse "$WH" --mode merge --merge-key id "$t" "$D/m.parquet" \
    >"$TMP/a.json" 2>"$TMP/a.err" &
  local a=$!
  for _ in $(seq 1 300); do
    [ "$(manifests "$dir")" -gt "$before" ] && break
    sleep 0.1
  done
  run load --warehouse "$WH" "$t" "$D/$2.parquet"
  expect_ok "$t: the append"
  touch "$TMP/go"
  wait "$a"
  a_rc=$?
}
# v_of TABLE ID: the v values stored for ID, space-separated.
v_of() {
  rows "$1" | python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["v"]) for l in sys.stdin if json.loads(l)["id"] == int(sys.argv[1])))' "$2"
}

for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  m=${mode%%-*}
  for c in same other; do
    t=db.race_${c}_$m
    merge "$t" --merge-key id --partition-by 'bucket(4, id)' "${props[@]}" "$D/base.parquet"
    expect_ok "$t: create"
    race "$t" "$c"
    if [ "$c" = same ]; then
      [ "$a_rc" -ne 0 ] && grep -q "concurrent commit" "$TMP/a.err" ||
        fail "$t: the merge did not fail with a conflict (exit $a_rc): $(cat "$TMP/a.err")"
      expect_eq "$t: snapshots" "$(snapcount "$t")" 2
      expect_eq "$t: the append's row and the old one" "$(v_of "$t" "$k2" | tr ' ' '\n' | sort -n | tr '\n' ' ')" "-1 0 "
      expect_eq "$t: the merge left nothing" "$(v_of "$t" "$k1") $(v_of "$t" "$k3")" "0 0"
    else
      [ "$a_rc" -eq 0 ] || fail "$t: the merge failed: $(cat "$TMP/a.err")"
      expect_eq "$t: snapshots" "$(snapcount "$t")" 3
      expect_eq "$t: merged" "$(v_of "$t" "$k1") $(v_of "$t" "$k2") $(v_of "$t" "$k3")" "1 2 3"
      expect_eq "$t: the append's rows" "$(v_of "$t" "$x") $(v_of "$t" "$y")" "-2 -3"
      expect_eq "$t: rows" "$(rowcount "$t")" 4000
    fi
  done
done
finish
