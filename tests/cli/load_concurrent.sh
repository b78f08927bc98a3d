#!/usr/bin/env bash
# Several processes load the same table at once (the table does not exist at the start,
# so they also race to create it). Every load must land as its own snapshot and no row
# may be lost: the optimistic commit re-reads the table and retries with backoff.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

procs=4
loads=3
for p in $(seq 1 $procs); do
  (
    for l in $(seq 1 $loads); do
      "$ICESTREAM" load --json --warehouse "$WH" --property commit.retry.num-retries=50 \
        --property commit.retry.min-wait-ms=5 --property commit.retry.max-wait-ms=200 \
        db.race "$P/alltypes_plain.parquet" >"$TMP/out.$p.$l" 2>"$TMP/err.$p.$l" ||
        echo "load $p.$l failed: $(cat "$TMP/err.$p.$l")" >>"$TMP/failures"
    done
  ) &
done
wait
[ -s "$TMP/failures" ] && fail "$(cat "$TMP/failures")"
total=$((procs * loads))
expect_eq "snapshots" "$(snapcount db.race)" "$total"
expect_eq "rows scanned" "$(rowcount db.race)" $((total * 8))
expect_eq "total-records" "$(summary db.race total-records)" $((total * 8))
expect_eq "total-data-files" "$(summary db.race total-data-files)" "$total"
created=$(cat "$TMP"/out.* | grep -c '"table_created":true')
expect_eq "exactly one process created the table" "$created" 1
# sequence numbers 1..N, each snapshot's parent is the previous one
run snapshots --json --warehouse "$WH" db.race
expect_eq "sequence numbers" "$(jget "$TMP/out" "[s['sequence-number'] for s in d] == list(range(1, len(d) + 1))")" True
expect_eq "parent chain" "$(jget "$TMP/out" "all(d[i]['parent-snapshot-id'] == d[i-1]['snapshot-id'] for i in range(1, len(d)))")" True
echo "commit attempts: $(cat "$TMP"/out.* | python3 -c 'import sys,json; print(sorted(json.loads(l)["attempts"] for l in sys.stdin))')"

# Two processes with the default retry policy (commit.retry.* unset) on an existing table.
run load --warehouse "$WH" db.two "$P/alltypes_plain.parquet"
expect_ok "create db.two"
for p in 1 2; do
  (
    for l in 1 2 3; do
      "$ICESTREAM" load --warehouse "$WH" db.two "$P/alltypes_plain.snappy.parquet" \
        >/dev/null 2>"$TMP/err2.$p.$l" || echo "load $p.$l failed: $(cat "$TMP/err2.$p.$l")" >>"$TMP/failures2"
    done
  ) &
done
wait
[ -s "$TMP/failures2" ] && fail "$(cat "$TMP/failures2")"
expect_eq "default policy: snapshots" "$(snapcount db.two)" 7
expect_eq "default policy: rows" "$(rowcount db.two)" $((8 + 6 * 2))
finish
