#!/usr/bin/env bash
# An upsert tells changed from unchanged rows column by column (the cheapest non-key
# columns first: a, b, d, e here) and reads whole only the rows equal in all of those:
# rows that differ only in the first, second, third or fourth compared column, only in
# a column never compared one by one (f, fixed width but fifth; c, a string), a null
# turned into a value, and unchanged rows (one with a null) must all be counted and
# written exactly, whether the stored keys ascend (the probe's sorted walk) or not (its
# Bloom filter), copy-on-write and merge-on-read. An identical re-run and a re-run that
# changes only f (both decided by the whole-row read) are checked too, and a file whose
# ascending keys skip over thousands of incoming ones.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

# 200 stored rows; ids 0..63 come again (62 changed, 2 not), 1000..1063 are new.
stored="SELECT range AS id, CASE WHEN range % 10 = 0 THEN NULL ELSE range::INTEGER END AS a,
  (range * 0.5)::DOUBLE AS b, 'c' || range AS c, range * 10 AS d, (range % 7)::INTEGER AS e,
  (range % 5)::INTEGER AS f FROM range(200)"
pq sorted "$stored ORDER BY id"
pq shuffled "$stored ORDER BY (id * 7919) % 200"
incoming="SELECT id,
  CASE WHEN id < 32 THEN coalesce(a, 5) + 1000 ELSE a END AS a,
  CASE WHEN id >= 32 AND id < 48 THEN b + 1 ELSE b END AS b,
  CASE WHEN id = 61 THEN c || 'x' ELSE c END AS c,
  CASE WHEN id >= 48 AND id < 56 THEN d + 1 ELSE d END AS d,
  CASE WHEN id >= 56 AND id < 60 THEN e + 1 ELSE e END AS e,
  CASE WHEN id = 62 THEN f + 1 ELSE f END AS f
  FROM read_parquet('$D/sorted.parquet') WHERE id < 64
  UNION ALL SELECT 1000 + range, range::INTEGER, 1.5::DOUBLE, 'n', 7, 1, 2 FROM range(64)"
pq in "$incoming"
# the expected tables, loaded by icestream so that scans format them alike
pq want "SELECT * FROM read_parquet('$D/sorted.parquet') WHERE id >= 64 UNION ALL $incoming"
pq want_f "SELECT id, a, b, c, d, e, CASE WHEN id < 64 THEN f + 10 ELSE f END AS f
  FROM read_parquet('$D/want.parquet')"
pq in_f "SELECT * FROM read_parquet('$D/want_f.parquet') WHERE id < 64"
run load --warehouse "$WH" db.want "$D/want.parquet"
expect_ok "load want"
run load --warehouse "$WH" db.want_f "$D/want_f.parquet"
expect_ok "load want_f"
want=$(rows db.want)
want_f=$(rows db.want_f)

for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  for order in sorted shuffled; do
    t=db.r_${order}_${mode//-/_}
    what="$mode, $order"
    run load --warehouse "$WH" "${props[@]}" "$t" "$D/$order.parquet"
    expect_ok "$what: load"
    merge "$t" --merge-key id "$D/in.parquet"
    expect_ok "$what: merge"
    expect_eq "$what: counters" "$(counters)" "64 62 0 2"
    expect_eq "$what: operation" "$(mj operation)" overwrite
    expect_eq "$what: snapshots" "$(snapcount "$t")" 2
    expect_eq "$what: rows" "$(rows "$t")" "$want"
    if [ "$mode" = copy-on-write ]; then
      expect_eq "$what: files rewritten" "$(mj files_rewritten)" 1
    else
      expect_eq "$what: delete files" "$(mj delete_files_added)" 1
      expect_eq "$what: position deletes" "$(summary "$t" added-position-deletes)" 62
    fi

    # the same input again: every row equal, nothing committed
    merge "$t" --merge-key id "$D/in.parquet"
    expect_ok "$what: re-run"
    expect_eq "$what: re-run counters" "$(counters)" "0 0 0 128"
    expect_eq "$what: re-run commits nothing" "$(snapcount "$t")" 2

    # only f (never compared on its own) changes in 64 rows
    merge "$t" --merge-key id "$D/in_f.parquet"
    expect_ok "$what: f only"
    expect_eq "$what: f only counters" "$(counters)" "0 64 0 0"
    expect_eq "$what: f only snapshots" "$(snapcount "$t")" 3
    expect_eq "$what: f only rows" "$(rows "$t")" "$want_f"
  done
done

# One file holding ids 0..99 and 5000..5099 (ascending), incoming ids 100..4999 in
# between (inserts) and 50, 5050 (updates): the probe's walk gallops over the inserts.
pq gap "SELECT range AS id, 0::INTEGER AS q FROM range(100)
  UNION ALL SELECT 5000 + range, 0::INTEGER FROM range(100) ORDER BY id"
pq gap_in "SELECT range AS id, 1::INTEGER AS q FROM range(100, 5000)
  UNION ALL SELECT 50, 2::INTEGER UNION ALL SELECT 5050, 3::INTEGER ORDER BY id"
run load --warehouse "$WH" db.gap "$D/gap.parquet"
expect_ok "gap: load"
merge db.gap --merge-key id "$D/gap_in.parquet"
expect_ok "gap: merge"
expect_eq "gap: counters" "$(counters)" "4900 2 0 0"
expect_eq "gap: rows" "$(rows db.gap | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(len(rows), sum(r["q"] for r in rows), [r["q"] for r in rows if r["id"] in (50, 5050)])')" \
  "5100 4905 [2, 3]"
finish
