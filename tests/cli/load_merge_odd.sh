#!/usr/bin/env bash
# `icestream load --mode merge` on odd input: string keys that differ only by embedded
# NULs, decimal keys with negative values, a merge whose input has no rows (commits
# nothing), and hard deletes of every stored row (copy-on-write and merge-on-read),
# each checked for exact rows, counters, operation and snapshot count.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

# ---- keys "a", "a\0" and "a\0b" are three keys
pq a "SELECT * FROM (VALUES ('a'||chr(0)||'b',1),('a',2),('a'||chr(0),3)) t(k,v)"
merge db.s --merge-key k "$D/a.parquet"
expect_ok "nul keys"
pq b "SELECT * FROM (VALUES ('a'||chr(0),30),('a',2)) t(k,v)"
merge db.s --merge-key k "$D/b.parquet"
expect_ok "nul upsert"
expect_eq "nul upsert counters" "$(counters)" "0 1 0 1"
expect_eq "nul upsert rows" "$(rows db.s | tr '\n' ' ')" \
  '{"k":"a","v":2} {"k":"a\u0000","v":30} {"k":"a\u0000b","v":1} '

# ---- an input without rows commits nothing
pq e "SELECT 'x' AS k, 1 AS v WHERE false"
merge db.s --merge-key k "$D/e.parquet"
expect_ok "empty input"
expect_eq "empty input counters" "$(counters)" "0 0 0 0"
expect_eq "empty input snapshots" "$(snapcount db.s)" 2

# ---- decimal keys (negative too), then every stored row hard-deleted
for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  t=db.d${mode//-/}
  pq d "SELECT * FROM (VALUES (1.5::DECIMAL(10,2),1,false),(-2.25::DECIMAL(10,2),2,false),(3::DECIMAL(10,2),3,false)) t(k,v,del)"
  merge "$t" --merge-key k "${props[@]}" "$D/d.parquet"
  expect_ok "decimal create $mode"
  pq u "SELECT * FROM (VALUES (-2.25::DECIMAL(10,2),20,false),(4::DECIMAL(10,2),4,false)) t(k,v,del)"
  merge "$t" --merge-key k "$D/u.parquet"
  expect_ok "decimal upsert $mode"
  expect_eq "decimal upsert counters $mode" "$(counters)" "1 1 0 0"
  expect_eq "decimal upsert rows $mode" "$(rows "$t" | tr '\n' ' ')" \
    '{"k":"-2.25","v":20,"del":false} {"k":"1.50","v":1,"del":false} {"k":"3.00","v":3,"del":false} {"k":"4.00","v":4,"del":false} '
  pq h "SELECT k, v, true AS del FROM (VALUES (1.5::DECIMAL(10,2),0),(-2.25::DECIMAL(10,2),0),(3::DECIMAL(10,2),0),(4::DECIMAL(10,2),0)) t(k,v)"
  merge "$t" --merge-key k --hard-delete del "$D/h.parquet"
  expect_ok "all hard $mode"
  expect_eq "all hard counters $mode" "$(counters)" "0 0 4 0"
  expect_eq "all hard op $mode" "$(mj operation)" delete
  expect_eq "all hard rows $mode" "$(rowcount "$t")" 0
  expect_eq "all hard snapshots $mode" "$(snapcount "$t")" 3
  # Merge-on-read keeps the 5 stored records (3 + 2 upserted) under 5 position deletes.
  expect_eq "all hard total-records $mode" "$(summary "$t" total-records)" \
    "$([ "$mode" = copy-on-write ] && echo 0 || echo 5)"
  expect_eq "all hard position deletes $mode" "$(summary "$t" total-position-deletes)" \
    "$([ "$mode" = copy-on-write ] && echo 0 || echo 5)"
done
finish
