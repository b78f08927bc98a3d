#!/usr/bin/env bash
# `icestream load --mode merge` into partitioned tables, copy-on-write and merge-on-read,
# under identity(region), bucket(4, id) and (region, bucket(4, id)), the key being id:
#   - a merge creates the table; upsert (update, insert, unchanged, a row whose region
#     changes, to and from null), insert-only, delete-insert and hard deletes each land
#     as one snapshot whose rows equal a model of the strategy kept by this test;
#     a moved row is there exactly once, in its new partition; the old file is rewritten
#     (copy-on-write) or position-deleted (merge-on-read: one delete file per partition
#     of the files touched);
#   - pruning: a merge whose keys all fall in one bucket scans only that bucket's files
#     (files_scanned), a truncate(1000, id) table without column metrics only the
#     range's file, while a region (not a key) spec scans every file;
#   - two specs (`alter --partition-by` between merges): files of both are merged, the
#     old spec's rewritten into the new one (also under merge-on-read);
#   - overwrite-partitions of a partition holding position deletes removes them too.
# After every step DuckDB (applying the spec's delete rules) and icebird read the rows
# `icestream scan` reads (check_scan.mjs) and check_partitions.mjs recomputes every
# file's partition values. Concurrency: load_merge_partitioned_race.sh.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"
if [ ! -d "$INTEROP_DIR/node_modules/icebird" ]; then
  echo "SKIP: tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
M=$TMP/model
mkdir -p "$M"

# Buckets of ids 0..4999 under bucket(4, id), by the interop code's own Murmur3.
node --input-type=module -e "
import { murmur3, bucketBytes } from '$INTEROP_DIR/lib_partition.mjs';
const o = {};
for (let i = 0; i < 5000; i++) o[i] = ((murmur3(bucketBytes('int', BigInt(i))) & 0x7fffffff) >>> 0) % 4;
console.log(JSON.stringify(o));" >"$TMP/buckets.json" || fail "bucket map"

# rows_in NAME VALUES: $D/NAME.parquet (and .jsonl) of (id, region, v, gone) rows.
rows_in() {
  pq "$1" "SELECT id::INTEGER AS id, region::VARCHAR AS region, v::INTEGER AS v,
    gone::BOOLEAN AS gone FROM (VALUES $2) t(id, region, v, gone)"
  duck "SELECT * FROM '$D/$1.parquet'" >"$D/$1.jsonl"
}
# rows_sql NAME SELECT: the same from a query with those columns.
rows_sql() {
  pq "$1" "$2"
  duck "SELECT * FROM '$D/$1.parquet'" >"$D/$1.jsonl"
}

cat >"$TMP/model.py" <<'PY'
# model.py STRATEGY MODEL INPUT_JSONL HARD: MODEL (rows as JSON lines) after the merge
# (or overwrite:COLUMN) of INPUT, by the strategy's rules; prints nothing.
import json, os, sys
strategy, model, inp, hard = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
rows = [json.loads(l) for l in open(model)] if os.path.exists(model) else []
new = [json.loads(l) for l in open(inp)]
gone = lambda r: hard and r["gone"]
if strategy in ("upsert", "delete-insert"):
    # The inputs' keys are unique, so an upsert replaces as delete-insert does (a key
    # stored twice by delete-insert is left alone by a later upsert without it).
    keys = {r["id"] for r in new}
    rows = [r for r in rows if r["id"] not in keys] + [r for r in new if not gone(r)]
elif strategy == "insert-only":
    have = {r["id"] for r in rows}
    rows += [r for r in new if r["id"] not in have]
elif strategy.startswith("overwrite:"):
    col = strategy.split(":")[1]
    parts = {r[col] for r in new}
    rows = [r for r in rows if r[col] not in parts] + new
with open(model, "w") as f:
    for l in sorted(json.dumps(r, sort_keys=True) for r in rows):
        f.write(l + "\n")
PY

# canon: JSON lines with sorted keys, sorted.
canon() {
  python3 -c '
import json, sys
for l in sys.stdin: print(json.dumps(json.loads(l), sort_keys=True))' | LC_ALL=C sort
}
# expect_model WHAT TABLE: the table's rows are its model's.
expect_model() {
  rows "$2" | canon >"$TMP/got"
  LC_ALL=C sort "$M/$2" >"$TMP/want"
  cmp -s "$TMP/got" "$TMP/want" ||
    fail "$1: rows differ from the model: $(diff "$TMP/got" "$TMP/want" | head -6 | tr '\n' ' ')"
}
# check_interop WHAT TABLE: DuckDB and icebird read the scan's rows (the delete rules
# applied by check_scan.mjs itself); check_partitions.mjs (report in $TMP/parts.json).
check_interop() {
  local meta
  meta=$(metadata_of "$2")
  meta=${meta#file:}
  rows "$2" >"$TMP/interop.jsonl"
  node "$INTEROP_DIR/check_scan.mjs" "$meta" --map "file:/=/" --expect-jsonl "$TMP/interop.jsonl" \
    >"$TMP/check" 2>&1 || fail "$1: check_scan: $(tail -c 600 "$TMP/check")"
  node "$INTEROP_DIR/check_partitions.mjs" "$meta" >"$TMP/parts.json" 2>&1 ||
    fail "$1: check_partitions: $(head -c 1200 "$TMP/parts.json")"
}
# step WHAT TABLE STRATEGY INPUT [ARGS...]: the merge, then one snapshot more, rows as
# the model's and the interop checks. HARD=1: the input's gone column deletes.
step() {
  local what=$1 t=$2 s=$3 in=$4
  shift 4
  local before
  before=$(snapcount "$t")
  [ "$before" = x ] && before=0
  merge "$t" --merge-key id --strategy "$s" "$@" "$D/$in.parquet"
  expect_ok "$what"
  python3 "$TMP/model.py" "$s" "$M/$t" "$D/$in.jsonl" "${HARD:-0}"
  expect_eq "$what: one snapshot" "$(snapcount "$t")" $((before + 1))
  expect_model "$what" "$t"
  check_interop "$what" "$t"
}
# partitions_of SPEC TABLE IDS...: how many partitions of SPEC the stored rows of these
# ids are in (by the model before the merge).
partitions_of() {
  local spec=$1 t=$2
  shift 2
  python3 - "$spec" "$M/$t" "$TMP/buckets.json" "$@" <<'PY'
import json, sys
spec, model, buckets, ids = sys.argv[1], sys.argv[2], sys.argv[3], set(map(int, sys.argv[4:]))
b = json.load(open(buckets))
def part(r):
    return {"region": (r["region"],), "bucket(4, id)": (b[str(r["id"])],),
            "region, bucket(4, id)": (r["region"], b[str(r["id"])])}[spec]
print(len({part(json.loads(l)) for l in open(model) if json.loads(l)["id"] in ids}))
PY
}
# live_deletes TABLE PATTERN: live position delete files whose path matches PATTERN.
live_deletes() {
  local meta
  meta=$(metadata_of "$1")
  node "$INTEROP_DIR/list_live_files.mjs" "${meta#file:}" |
    python3 -c '
import json, re, sys
print(sum(1 for l in sys.stdin if json.loads(l)["content"] == 1 and re.search(sys.argv[1], json.loads(l)["path"])))' "$2"
}

rows_sql base "SELECT i::INTEGER AS id, CASE WHEN i % 10 = 9 THEN NULL ELSE 'r' || (i % 3) END AS region,
  i::INTEGER AS v, false AS gone FROM range(60) t(i)"
# 1 updated, 2 unchanged, 4 r1 -> r2, 5 r2 -> null, 9 null -> r0; 100 and 101 new.
rows_in up "(1,'r1',1001,false),(2,'r2',2,false),(4,'r2',4,false),(5,NULL,5,false),
  (9,'r0',9,false),(100,'r1',100,false),(101,NULL,101,false)"
rows_in io "(3,'r1',3003,false),(102,'r2',102,false)"
rows_in di "(6,'r0',6006,false),(6,'r1',6007,false),(103,'r0',103,false)"
rows_in hd "(7,'r1',7,true),(8,'r0',8008,false)"

# ---- every strategy, each spec, both modes
for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  for spec in "region" "bucket(4, id)" "region, bucket(4, id)"; do
    case $spec in
      region) t=db.ident ;;
      "bucket(4, id)") t=db.bucket ;;
      *) t=db.two ;;
    esac
    t=${t}_${mode%%-*}
    w="$t ($spec, $mode)"
    step "$w: create" "$t" upsert base --partition-by "$spec" "${props[@]}"
    expect_eq "$w: create counters" "$(counters)" "60 0 0 0"
    want=$(partitions_of "$spec" "$t" 1 4 5 9)
    step "$w: upsert" "$t" upsert up
    expect_eq "$w: upsert counters" "$(counters)" "2 4 0 1"
    expect_eq "$w: moved row once" "$(rows "$t" | grep -c '"id":4,')" 1
    expect_eq "$w: moved to null once" "$(rows "$t" | grep '"id":5,' | grep -c '"region":null')" 1
    if [ "$mode" = copy-on-write ]; then
      expect_eq "$w: files rewritten" "$(mj files_rewritten) $(mj delete_files_added)" "$want 0"
    else
      expect_eq "$w: delete files, one per partition" \
        "$(mj files_rewritten) $(mj delete_files_added) $(summary "$t" added-position-deletes)" "0 $want 4"
    fi
    step "$w: insert-only" "$t" insert-only io
    expect_eq "$w: insert-only counters" "$(counters)" "1 0 0 0"
    step "$w: delete-insert" "$t" delete-insert di
    expect_eq "$w: delete-insert counters" "$(counters)" "3 0 1 0"
    HARD=1 step "$w: hard delete" "$t" upsert hd --hard-delete gone
    expect_eq "$w: hard delete counters" "$(counters)" "0 1 1 0"
  done
done

# ---- overwrite-partitions of a partition that holds position deletes: they go with it
t=db.ident_merge
dels=$(live_deletes "$t" '/region=r1/')
[ "$dels" -ge 1 ] || fail "overwrite: no delete file in region=r1 to remove ($dels)"
total=$(summary "$t" total-delete-files)
rows_in ow "(500,'r1',500,false),(501,'r1',501,false)"
run load --json --warehouse "$WH" --mode overwrite-partitions "$t" "$D/ow.parquet"
expect_ok "overwrite r1"
python3 "$TMP/model.py" overwrite:region "$M/$t" "$D/ow.jsonl" 0
expect_eq "overwrite r1: delete files removed" \
  "$(summary "$t" removed-position-delete-files) $(summary "$t" total-delete-files)" "$dels $((total - dels))"
expect_eq "overwrite r1: none left there" "$(live_deletes "$t" '/region=r1/')" 0
expect_model "overwrite r1" "$t"
check_interop "overwrite r1" "$t"

# ---- pruning by partition values (files_scanned)
rows_sql big "SELECT i::INTEGER AS id, CASE WHEN i % 10 = 9 THEN NULL ELSE 'r' || (i % 3) END AS region,
  i::INTEGER AS v, false AS gone FROM range(4000) t(i)"
# Three stored keys of one bucket, spread over the id range.
ids=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
ks = [i for i in range(4000) if b[str(i)] == b["17"]]
print(ks[0], ks[len(ks) // 2], ks[-1])' "$TMP/buckets.json")
read -r k1 k2 k3 <<<"$ids"
rows_in one_bucket "($k1,'r0',-1,false),($k2,'r1',-2,false),($k3,NULL,-3,false)"
rows_in one_range "(2000,'r0',-1,false),(2500,'r1',-2,false),(2999,NULL,-3,false)"
for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  m=${mode%%-*}
  # spec, table, input, files the merge may scan
  for c in "bucket(4, id)|db.pb_$m|one_bucket|1" "region, bucket(4, id)|db.pt_$m|one_bucket|4" \
    "region|db.pr_$m|one_bucket|4" "truncate(1000, id)|db.pc_$m|one_range|1"; do
    IFS='|' read -r spec t in scanned <<<"$c"
    extra=()
    [ "$spec" = "truncate(1000, id)" ] && extra=(--property write.metadata.metrics.default=none)
    step "prune $t: create" "$t" upsert big --partition-by "$spec" "${props[@]}" "${extra[@]}"
    step "prune $t ($spec): merge" "$t" upsert "$in"
    expect_eq "prune $t ($spec): files_scanned" "$(mj files_scanned)" "$scanned"
    expect_eq "prune $t ($spec): counters" "$(counters)" "0 3 0 0"
  done
done

# ---- two specs: region, then bucket(4, id); merges over files of both
for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  t=db.evo_${mode%%-*}
  step "$t: create" "$t" upsert base --partition-by region "${props[@]}"
  run alter --warehouse "$WH" "$t" --partition-by 'bucket(4, id)'
  expect_ok "$t: alter"
  want=$(partitions_of region "$t" 1 4 5 9)
  step "$t: upsert over spec 0" "$t" upsert up
  expect_eq "$t: spec-0 files rewritten into spec 1" \
    "$(mj files_rewritten) $(mj delete_files_added)" "$want 0"
  # r0 (id 3) is still spec 0; 100 was written under spec 1.
  expect_eq "$t: files by spec" "$(jget "$TMP/parts.json" "d['files_by_spec'].get('0')")" 1
  rows_in up2 "(3,'r0',3333,false),(100,'r1',1111,false)"
  step "$t: upsert over both specs" "$t" upsert up2
  if [ "$mode" = copy-on-write ]; then
    expect_eq "$t: both rewritten" "$(mj files_rewritten) $(mj delete_files_added)" "2 0"
  else
    expect_eq "$t: spec 0 rewritten, spec 1 position-deleted" \
      "$(mj files_rewritten) $(mj delete_files_added)" "1 1"
  fi
  expect_eq "$t: no spec-0 file left" "$(jget "$TMP/parts.json" "d['files_by_spec'].get('0')")" None
  step "$t: delete-insert" "$t" delete-insert di
  HARD=1 step "$t: hard delete" "$t" upsert hd --hard-delete gone
done

# ---- one budget: the merge's index (~20 MiB for these 200k keys, so it spills) and
# the partition writers (which spill too) fit --memory-limit together, and the rows are
# those of the same merge in memory
pq sbase "SELECT range AS id, 'v' || range AS s, (range % 7)::INTEGER AS q FROM range(100000)"
pq smerge "SELECT range AS id, 'v' || range AS s,
  (CASE WHEN range % 3 = 0 THEN range % 7 + 100 ELSE range % 7 END)::INTEGER AS q
  FROM range(50000, 250000)"
for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  for lim in 256M 6M; do
    t=db.mem_${mode%%-*}_$lim
    merge "$t" --merge-key id --partition-by 'bucket(8, id), q' "${props[@]}" "$D/sbase.parquet"
    expect_ok "$t: create"
    merge "$t" --merge-key id --memory-limit "$lim" "$D/smerge.parquet"
    expect_ok "$t: merge"
    expect_eq "$t: counters" "$(counters)" "150000 16667 0 33333"
    rows "$t" >"$TMP/$lim.rows"
  done
  t=db.mem_${mode%%-*}_6M
  [ "$(mj memory_peak_bytes)" -le $((6 << 20)) ] || fail "$t: held $(mj memory_peak_bytes) bytes"
  [ "$(mj rows_spilled)" -gt 0 ] || fail "$t: the partition writers did not spill"
  cmp -s "$TMP/256M.rows" "$TMP/6M.rows" || fail "$t: rows differ from the merge in memory"
  expect_eq "$t: rows" "$(wc -l <"$TMP/6M.rows" | tr -d ' ')" 250000
  check_interop "$t" "$t"
done

finish
