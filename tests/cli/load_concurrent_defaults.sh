#!/usr/bin/env bash
# 8 processes x 5 appends each into one table, with the default commit.retry.* policy:
# every load lands (an append's retry is cheap, so the defaults retry until a time
# bound rather than giving up after a few lost races), and the rows are exact.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet # 8 rows
PROCS=${PROCS:-8}
LOADS=${LOADS:-5}

run load --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
for p in $(seq "$PROCS"); do
  (
    for i in $(seq "$LOADS"); do
      "$ICESTREAM" load --warehouse "$WH" db.t "$IN" >/dev/null 2>"$TMP/err.$p.$i" ||
        echo "$p.$i" >>"$TMP/failed"
    done
  ) &
done
wait
if [ -s "$TMP/failed" ]; then
  fail "$(wc -l <"$TMP/failed") of $((PROCS * LOADS)) loads failed, e.g. $(cat "$TMP"/err.* | head -1)"
fi
expect_eq "rows" "$(rowcount db.t)" $((8 * (1 + PROCS * LOADS)))
expect_eq "snapshots" "$(snapcount db.t)" $((1 + PROCS * LOADS))
finish
