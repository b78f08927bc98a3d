#!/usr/bin/env bash
# Concurrent schema evolution (docs/schema-evolution.md): two processes load into one
# table at once, both adding column c. ICESTREAM_TEST_SLEEP_AT holds each between
# planning its schema and committing, so both plan on the same head: the first commits
# add-schema + its snapshot, the second's requirements (assert-current-schema-id,
# assert-last-assigned-field-id) fail, it re-reads the head, finds c there with the id
# its files carry and lands as a plain snapshot on that schema: one column, both loads'
# rows. Two loads adding *different* columns would give both the same new field id: the
# second fails with a conflict naming the column, commits nothing and leaves no file.
source "$(dirname "$0")/lib_schema.bash"

pq base "SELECT 1 AS id"
pq p1 "SELECT 10 AS id, 'one' AS c"
pq p2 "SELECT 20 AS id, 'two' AS c"
pq p3 "SELECT 30 AS id, 3.5 AS d"
run load --warehouse "$WH" db.race "$D/base.parquet"
expect_ok "create"

race() { # OUT1 IN1 OUT2 IN2: two loads at once, each paused after validation
  for k in 1 2; do
    local out in
    if [ $k = 1 ]; then out=$1 in=$2; else out=$3 in=$4; fi
    ICESTREAM_TEST_SLEEP_AT=validated:1500 "$ICESTREAM" load --json --warehouse "$WH" \
      db.race "$in" >"$TMP/$out.json" 2>"$TMP/$out.err" &
  done
  wait
}

race r1 "$D/p1.parquet" r2 "$D/p2.parquet"
for k in r1 r2; do
  [ -s "$TMP/$k.err" ] && fail "$k: $(cat "$TMP/$k.err")"
done
expect_eq "both landed" "$(snapcount db.race)" 3
expect_eq "attempts" "$(cat "$TMP/r1.json" "$TMP/r2.json" | python3 -c 'import sys,json; print(sorted(json.loads(l)["attempts"] for l in sys.stdin))')" "[1, 2]"
expect_eq "one column c" "$(md db.race "[(f['id'], f['name']) for f in s['fields']], d['last-column-id'], len(d['schemas'])")" "([(1, 'id'), (2, 'c')], 2, 2)"
expect_eq "snapshot schema ids" "$(md db.race "[x['schema-id'] for x in d['snapshots']]")" "[0, 1, 1]"
expect_eq "rows" "$(rows db.race)" '{"id":1,"c":null}
{"id":10,"c":"one"}
{"id":20,"c":"two"}'
check_interop "same column" db.race

# different new columns at once: both get field id 3; the loser cannot keep its files
pq p4 "SELECT 40 AS id, true AS e"
files=$(datafiles "$WH/db/race")
race r3 "$D/p3.parquet" r4 "$D/p4.parquet"
expect_eq "one of two landed" "$(snapcount db.race)" 4
failed=$(cat "$TMP/r3.err" "$TMP/r4.err")
expect_eq "one failed" "$(printf '%s\n' "$failed" | grep -c 'icestream: error:')" 1
printf '%s' "$failed" | grep -qE "column '(d|e)' was written with field id 3, which the table has given to another column" ||
  fail "conflict message: $failed"
expect_eq "the loser left no file" "$(datafiles "$WH/db/race")" $((files + 1))
expect_eq "one new column" "$(md db.race "len(s['fields']), d['last-column-id']")" "(3, 3)"
expect_eq "rows" "$(rowcount db.race)" 4
finish
