#!/usr/bin/env bash
# A merge whose index of incoming keys does not fit --memory-limit spills it to
# hash-partitioned files under $TMPDIR and gives exactly the rows of the same merge
# done in memory (4-byte integer keys too); duplicates far apart are still found (and
# --dedup first|last still holds) while spilling; no spill folder is left after a
# success, a failure, or a SIGKILL during the spill followed by the next spilling merge.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

SMALL=6M # the 200k-key index needs ~20 MiB in memory
export TMPDIR=$TMP/spilltmp
mkdir -p "$TMPDIR"

# base: ids 0..99999; m: ids 50000..249999, every third stored one changed
pq base "SELECT range AS id, 'v' || range AS v, (range % 7)::INTEGER AS q FROM range(100000)"
pq m "SELECT range AS id, 'v' || range AS v,
  (CASE WHEN range % 3 = 0 THEN range % 7 + 100 ELSE range % 7 END)::INTEGER AS q
  FROM range(50000, 250000)"
# dup: 200k rows whose first and last rows share key 5 (the last says 'last')
pq dup "SELECT id, v, q FROM (SELECT range AS o, range AS id, 'v' || range AS v,
  0::INTEGER AS q FROM range(200000) UNION ALL SELECT 200000, 5, 'last', 1) ORDER BY o"
pq dup2 "SELECT 7::BIGINT AS id, 'other file' AS v, 2::INTEGER AS q"

# spill_dirs: spill folders in $TMPDIR now.
spill_dirs() {
  find "$TMPDIR" -maxdepth 1 -name 'icestream-spill-*' | wc -l | tr -d ' '
}
# base_table TABLE: TABLE holding base (one snapshot).
base_table() {
  merge "$1" --merge-key id "$D/base.parquet"
  expect_ok "create $1"
}

# ---- the same merge in memory and spilled
base_table db.mem
merge db.mem --merge-key id --memory-limit 256M "$D/m.parquet"
expect_ok "merge in memory"
mem_peak=$(mj memory_peak_bytes)
small=$((6 << 20))
[ "$mem_peak" -gt "$small" ] || fail "the in-memory merge held $mem_peak bytes: it would fit $SMALL"
base_table db.spill
merge db.spill --merge-key id --memory-limit $SMALL "$D/m.parquet"
expect_ok "spilled merge"
[ "$(mj memory_peak_bytes)" -le "$small" ] || fail "spilled merge held $(mj memory_peak_bytes) bytes"
expect_eq "spilled counters" "$(counters)" "150000 16667 0 33333"
expect_eq "spilled operation" "$(mj operation)" overwrite
expect_eq "spilled snapshots" "$(snapcount db.spill)" 2
expect_eq "spilled total-records" "$(summary db.spill total-records)" 250000
rows db.mem >"$TMP/mem.jsonl"
rows db.spill >"$TMP/spill.jsonl"
python3 - >"$TMP/want.jsonl" <<'PY'
import json
for i in range(250000):
    q = i % 7 + (100 if 50000 <= i and i % 3 == 0 else 0)
    print(json.dumps({"id": i, "v": "v%d" % i, "q": q}, separators=(",", ":")))
PY
sort -o "$TMP/want.jsonl" "$TMP/want.jsonl"
cmp -s "$TMP/want.jsonl" "$TMP/mem.jsonl" || fail "in-memory merge rows differ from the expected rows"
cmp -s "$TMP/mem.jsonl" "$TMP/spill.jsonl" || fail "spilled merge rows differ from the in-memory merge's"
expect_eq "no spill folder after success" "$(spill_dirs)" 0

# ---- 4-byte keys: the budget refuses the index's growth before it reaches half of the
# limit, so the merge spills "now", the column-wise resolve's buffers freed first (the
# spill buffers once found no room: "creating spill files ... memory limit reached")
pq ibase "SELECT range::INTEGER AS id, 'v' || range AS v, (range % 7)::INTEGER AS q FROM range(100000)"
pq im "SELECT range::INTEGER AS id, 'v' || range AS v,
  (CASE WHEN range % 3 = 0 THEN range % 7 + 100 ELSE range % 7 END)::INTEGER AS q
  FROM range(50000, 250000)"
merge db.ispill --merge-key id "$D/ibase.parquet"
expect_ok "create db.ispill"
merge db.ispill --merge-key id --memory-limit $SMALL "$D/im.parquet"
expect_ok "spilled merge of integer keys"
[ "$(mj memory_peak_bytes)" -le "$small" ] || fail "integer keys: held $(mj memory_peak_bytes) bytes"
expect_eq "integer keys: counters" "$(counters)" "150000 16667 0 33333"
rows db.ispill | cmp -s - "$TMP/want.jsonl" || fail "integer keys: rows differ from the expected rows"

# ---- duplicates while spilling: an error naming the key, nothing committed
merge db.spill --merge-key id --memory-limit $SMALL "$D/dup.parquet"
expect_error "spilled duplicate" 1 "duplicate key id=5 "
expect_eq "spilled duplicate committed nothing" "$(snapcount db.spill)" 2
expect_eq "no spill folder after failure" "$(spill_dirs)" 0
merge db.spill --merge-key id --memory-limit $SMALL "$D/dup2.parquet" "$D/dup.parquet"
expect_error "spilled duplicate across files" 1 "duplicate key id=7 "
# --dedup first keeps row 5 of the file, --dedup last its last row (and dup2's 7)
merge db.spill --merge-key id --memory-limit $SMALL --dedup first "$D/dup.parquet"
expect_ok "spilled dedup first"
expect_eq "dedup first counters" "$(counters)" "0 178571 0 21429"
expect_eq "dedup first row" "$(rows db.spill | grep -E '^\{"id":(5|7),')" '{"id":5,"v":"v5","q":0}
{"id":7,"v":"v7","q":0}'
merge db.spill --merge-key id --memory-limit $SMALL --dedup last "$D/dup.parquet" "$D/dup2.parquet"
expect_ok "spilled dedup last"
expect_eq "dedup last counters" "$(counters)" "0 2 0 199998"
expect_eq "dedup last row" "$(rows db.spill | grep -E '^\{"id":(5|7),')" '{"id":5,"v":"last","q":1}
{"id":7,"v":"other file","q":2}'
expect_eq "dedup rows" "$(rowcount db.spill)" 250000
expect_eq "no spill folder after dedup" "$(spill_dirs)" 0

# ---- merge-on-read, delete-insert with repeated keys and hard deletes, spilled: every
# stored row of an incoming key goes, every input row not marked gone comes in
pq gone "SELECT range % 150000 + 50000 AS id, 'w' || range AS v, (range % 5)::INTEGER AS q,
  (range % 11 = 0) AS gone FROM range(200000)"
pq base_gone "SELECT range AS id, 'v' || range AS v, (range % 7)::INTEGER AS q, false AS gone
  FROM range(100000)"
merge db.mor --merge-key id "${mor_props[@]}" "$D/base_gone.parquet"
expect_ok "create db.mor"
merge db.mor --merge-key id --memory-limit $SMALL --strategy delete-insert --hard-delete gone \
  "$D/gone.parquet"
expect_ok "spilled delete-insert with hard deletes"
[ "$(mj memory_peak_bytes)" -le "$small" ] || fail "delete-insert held $(mj memory_peak_bytes) bytes"
expect_eq "delete-insert counters" "$(counters)" "181818 0 50000 0"
expect_eq "delete-insert delete files" "$(mj delete_files_added)" 1
expect_eq "delete-insert files rewritten" "$(mj files_rewritten)" 0
python3 - <<'PY' | sort >"$TMP/want_mor.jsonl"
import json
rows = {i: [(("v%d" % i), i % 7)] for i in range(100000)}
incoming = {}
for r in range(200000):
    incoming.setdefault(r % 150000 + 50000, []).append(("w%d" % r, r % 5, r % 11 == 0))
for k, vs in incoming.items():
    rows[k] = [(v, q) for v, q, gone in vs if not gone]
for k, vs in rows.items():
    for v, q in vs:
        print(json.dumps({"id": k, "v": v, "q": q, "gone": False}, separators=(",", ":")))
PY
rows db.mor >"$TMP/mor.jsonl"
cmp -s "$TMP/want_mor.jsonl" "$TMP/mor.jsonl" || fail "spilled delete-insert rows differ from the expected rows"
expect_eq "no spill folder after delete-insert" "$(spill_dirs)" 0

# ---- SIGKILL while the spill folder exists; the next spilling merge removes it
base_table db.kill
meta=$(metadata_of db.kill)
"$ICESTREAM" load --warehouse "$WH" --mode merge --merge-key id --memory-limit $SMALL \
  db.kill "$D/m.parquet" >/dev/null 2>&1 &
pid=$!
seen=0
for _ in $(seq 1 3000); do
  if [ "$(spill_dirs)" -gt 0 ]; then
    seen=1
    kill -KILL $pid 2>/dev/null
    break
  fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.01
done
wait $pid 2>/dev/null
rc=$?
expect_eq "spill folder seen while merging" "$seen" 1
expect_eq "killed merge: exit status" "$rc" 137
expect_eq "killed merge: a stale spill folder is left" "$(spill_dirs)" 1
expect_eq "killed merge: metadata unchanged" "$(metadata_of db.kill)" "$meta"
expect_eq "killed merge: snapshots" "$(snapcount db.kill)" 1
merge db.kill --merge-key id --memory-limit $SMALL "$D/m.parquet"
expect_ok "spilling merge after the kill"
expect_eq "after kill: counters" "$(counters)" "150000 16667 0 33333"
rows db.kill >"$TMP/kill.jsonl"
cmp -s "$TMP/want.jsonl" "$TMP/kill.jsonl" || fail "merge after the kill: rows differ"
expect_eq "stale spill folder removed by the next spilling merge" "$(spill_dirs)" 0
finish
