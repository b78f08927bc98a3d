#!/usr/bin/env bash
# A merge killed with SIGKILL (ICESTREAM_TEST_KILL_AT, test-hooks builds only) at each
# of its stages, copy-on-write and merge-on-read: before the catalog swap the table is
# exactly as it was (metadata location, snapshots, rows); killed after it, the merge is
# wholly there; either way the same merge run again gives the expected rows. Killed
# while spilling, the spill folder it leaves is removed by the next spilling merge.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"
export TMPDIR=$TMP/spilltmp
mkdir -p "$TMPDIR"

# killed_merge STAGE ARGS...: a merge that kills itself at STAGE; status in $rc.
killed_merge() {
  local stage=$1
  shift
  (ICESTREAM_TEST_KILL_AT=$stage "$ICESTREAM" load --warehouse "$WH" --mode merge "$@" \
    >"$TMP/out" 2>"$TMP/err"; exit $?) 2>/dev/null
  rc=$?
}

# upsert_expected WANT INPUT...: WANT (sorted JSON lines) with the rows of the inputs
# upserted by id, as the merge must leave the table.
upsert_expected() {
  local want=$1
  shift
  for f in "$@"; do "$ICESTREAM" cat "$f"; done | python3 -c '
import json, sys
rows = {json.loads(l)["id"]: l.strip() for l in open(sys.argv[1])}
for l in sys.stdin:
    rows[json.loads(l)["id"]] = l.strip()
print("\n".join(sorted(rows.values())))' "$want" >"$want.new"
  mv "$want.new" "$want"
}

# check_killed WHAT TABLE META SNAPS WANT: the kill left TABLE as it was.
check_killed() {
  expect_eq "$1: exit status" "$rc" 137
  expect_eq "$1: metadata unchanged" "$(metadata_of "$2")" "$3"
  expect_eq "$1: snapshots unchanged" "$(snapcount "$2")" "$4"
  rows "$2" >"$TMP/got"
  cmp -s "$5" "$TMP/got" || fail "$1: rows changed"
}

stages="validated merge-indexed merge-probed merge-stored data-file data-written metadata-written"
# base: ids 0..999; u<k>, the merge of stage k: ids k*10 .. k*10+9 updated, 1000+k
# inserted; big: 200k keys for the spill (one DuckDB run writes them all)
stmts=("COPY (SELECT range AS id, 0::INTEGER AS q FROM range(1000)) TO '$D/base.parquet'"
  "COPY (SELECT range AS id, 1::INTEGER AS q FROM range(200000)) TO '$D/big.parquet'")
k=0
for stage in $stages committed; do
  k=$((k + 1))
  stmts+=("COPY (SELECT range AS id, ($k)::INTEGER AS q FROM range($((k * 10)), $((k * 10 + 10)))
    UNION ALL SELECT $((1000 + k)), $k) TO '$D/u$k.parquet'")
done
duck "${stmts[@]}" >/dev/null || fail "duckdb: inputs"
for mode in copy-on-write merge-on-read; do
  t=db.kill_${mode//-/_}
  props=()
  [ "$mode" = merge-on-read ] && props=("${mor_props[@]}")
  merge "$t" --merge-key id "${props[@]}" "$D/base.parquet"
  expect_ok "$mode: create"
  rows "$t" >"$TMP/want"
  snaps=1
  k=0
  for stage in $stages committed; do
    k=$((k + 1))
    meta=$(metadata_of "$t")
    killed_merge "$stage" "$t" --merge-key id "$D/u$k.parquet"
    if [ "$stage" = committed ]; then
      expect_eq "$mode: killed after commit: exit status" "$rc" 137
      upsert_expected "$TMP/want" "$D/u$k.parquet"
      snaps=$((snaps + 1))
      expect_eq "$mode: killed after commit: snapshots" "$(snapcount "$t")" "$snaps"
      expect_eq "$mode: killed after commit: operation" "$(summary "$t" operation)" overwrite
      rows "$t" >"$TMP/got"
      cmp -s "$TMP/want" "$TMP/got" || fail "$mode: killed after commit: rows"
      continue
    fi
    check_killed "$mode: killed at $stage" "$t" "$meta" "$snaps" "$TMP/want"
    merge "$t" --merge-key id "$D/u$k.parquet"
    expect_ok "$mode: merge after kill at $stage"
    expect_eq "$mode: after kill at $stage: counters" "$(counters)" "1 10 0 0"
    upsert_expected "$TMP/want" "$D/u$k.parquet"
    snaps=$((snaps + 1))
    expect_eq "$mode: after kill at $stage: snapshots" "$(snapcount "$t")" "$snaps"
    rows "$t" >"$TMP/got"
    cmp -s "$TMP/want" "$TMP/got" || fail "$mode: after kill at $stage: rows"
  done
done

# ---- killed the moment the index moved to spill files (200k keys, 6M)
t=db.kill_copy_on_write
meta=$(metadata_of "$t")
killed_merge merge-spilling "$t" --merge-key id --memory-limit 6M "$D/big.parquet"
check_killed "killed at merge-spilling" "$t" "$meta" "$snaps" "$TMP/want"
expect_eq "killed at merge-spilling: spill folder left" \
  "$(find "$TMPDIR" -maxdepth 1 -name 'icestream-spill-*' | wc -l)" 1
merge "$t" --merge-key id --memory-limit 6M "$D/big.parquet"
expect_ok "spilling merge after kill"
upsert_expected "$TMP/want" "$D/big.parquet"
rows "$t" >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" || fail "spilling merge after kill: rows"
expect_eq "spill folder removed" "$(find "$TMPDIR" -maxdepth 1 -name 'icestream-spill-*' | wc -l)" 0
finish
