#!/usr/bin/env bash
# Exactly-once loads (--load-id), through the SQLite and the PostgreSQL catalog: the same
# load twice commits once (the second writes nothing, exits 0 and names the snapshot,
# in text and --json), for append, replace and merge; another id still loads; six
# processes racing with one id land exactly once and leave no file behind.
source "$(dirname "$0")/lib_pg_duckdb.bash"
duck "COPY (SELECT * FROM (VALUES (1,'a'),(2,'b')) t(id,v)) TO '$D/k1.parquet' (FORMAT parquet)" \
  "COPY (SELECT * FROM (VALUES (2,'B'),(3,'c')) t(id,v)) TO '$D/k2.parquet' (FORMAT parquet)" >/dev/null ||
  fail "writing inputs"

snaps() { "$ICESTREAM" snapshots --json "${C[@]}" "$1" >"$TMP/s.json" 2>/dev/null && jget "$TMP/s.json" "len(d)"; }
head_id() { "$ICESTREAM" snapshots --json "${C[@]}" "$1" >"$TMP/s.json" 2>/dev/null && jget "$TMP/s.json" "d[-1]['snapshot-id']"; }
rows() { "$ICESTREAM" scan "${C[@]}" "$1" 2>/dev/null | wc -l | tr -d ' '; }

suite() {
  local name=$1 ns=$2
  local dir=$WH/$ns
  # ---- append twice
  run load --json "${C[@]}" --load-id A1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: first load"
  local first
  first=$(jget "$TMP/out" "d['snapshot_id']")
  expect_eq "$name: not already loaded" "$(jget "$TMP/out" "d['already_loaded_snapshot_id']")" None
  run load "${C[@]}" --load-id A1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: same load again"
  grep -q "^$ns.t: already loaded in snapshot $first; nothing committed$" "$TMP/out" ||
    fail "$name: text says: $(head -1 "$TMP/out")"
  run load --json "${C[@]}" --load-id A1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: same load again, --json"
  expect_eq "$name: json" "$(jget "$TMP/out" "(d['committed'], d['already_loaded_snapshot_id'], d['snapshot_id'], d['rows_written'])")" "(False, $first, None, 0)"
  expect_eq "$name: one snapshot" "$(snaps "$ns.t")" 1
  expect_eq "$name: rows" "$(rows "$ns.t")" 8
  expect_eq "$name: nothing written" "$(datafiles "$dir/t")" 1
  # another id loads; the first id is still found below the new head
  run load "${C[@]}" --load-id A2 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: another id"
  run load --json "${C[@]}" --load-id A1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_eq "$name: ancestry" "$(jget "$TMP/out" "d['already_loaded_snapshot_id']")" "$first"
  expect_eq "$name: two snapshots" "$(snaps "$ns.t")" 2
  # ---- replace twice
  run load "${C[@]}" --mode replace --load-id R1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: replace"
  run load "${C[@]}" --mode replace --load-id R1 "$ns.t" "$P/alltypes_plain.parquet"
  expect_ok "$name: replace again"
  grep -q "already loaded" "$TMP/out" || fail "$name: replace again: $(head -1 "$TMP/out")"
  expect_eq "$name: replace snapshots" "$(snaps "$ns.t")" 3
  expect_eq "$name: replace rows" "$(rows "$ns.t")" 8
  # ---- merge twice (the second input's merge repeated)
  run load "${C[@]}" --mode merge --merge-key id --load-id M0 "$ns.k" "$D/k1.parquet"
  expect_ok "$name: merge creates"
  run load "${C[@]}" --mode merge --merge-key id --load-id M1 "$ns.k" "$D/k2.parquet"
  expect_ok "$name: merge"
  run load --json "${C[@]}" --mode merge --merge-key id --load-id M1 "$ns.k" "$D/k2.parquet"
  expect_ok "$name: merge again"
  expect_eq "$name: merge again says" "$(jget "$TMP/out" "d['already_loaded_snapshot_id'] is not None and not d['committed']")" True
  expect_eq "$name: merge snapshots" "$(snaps "$ns.k")" 2
  expect_eq "$name: merge rows" "$(rows "$ns.k")" 3
  # ---- six processes race with one id: exactly one lands, the others leave nothing
  local before files_before
  before=$(snaps "$ns.t")
  files_before=$(find "$dir/t" -type f | wc -l | tr -d ' ')
  for p in 1 2 3 4 5 6; do
    "$ICESTREAM" load --json "${C[@]}" --load-id RACE "$ns.t" "$P/alltypes_plain.parquet" \
      >"$TMP/race.$name.$p" 2>"$TMP/race_err.$name.$p" &
  done
  wait
  local landed=0 skipped=0
  for p in 1 2 3 4 5 6; do
    [ -s "$TMP/race_err.$name.$p" ] && fail "$name: racer $p: $(cat "$TMP/race_err.$name.$p")"
    case "$(jget "$TMP/race.$name.$p" "'c' if d['committed'] else ('s' if d['already_loaded_snapshot_id'] else '?')" 2>/dev/null)" in
      c) landed=$((landed + 1)) ;;
      s) skipped=$((skipped + 1)) ;;
    esac
  done
  echo "$name: racers stopped at commit (not before writing): $(cat "$TMP"/race."$name".* | grep -c '"committed":false,"already_loaded_snapshot_id":[0-9-]*,.*"attempts":[1-9]')"
  expect_eq "$name: racers landed" "$landed" 1
  expect_eq "$name: racers skipped" "$skipped" 5
  expect_eq "$name: race snapshots" "$(snaps "$ns.t")" $((before + 1))
  expect_eq "$name: race rows" "$(rows "$ns.t")" 16
  # one data file, one manifest, one manifest list and one metadata file more
  expect_eq "$name: race files" "$(find "$dir/t" -type f | wc -l | tr -d ' ')" $((files_before + 4))
  # ---- four processes race to create a table with one id: one creates and loads
  for p in 1 2 3 4; do
    "$ICESTREAM" load --json "${C[@]}" --load-id NEW "$ns.fresh" "$P/alltypes_plain.parquet" \
      >"$TMP/new.$name.$p" 2>"$TMP/new_err.$name.$p" &
  done
  wait
  for p in 1 2 3 4; do
    [ -s "$TMP/new_err.$name.$p" ] && fail "$name: creator $p: $(cat "$TMP/new_err.$name.$p")"
  done
  expect_eq "$name: created once" "$(cat "$TMP"/new."$name".* | grep -c '"committed":true')" 1
  expect_eq "$name: new table snapshots" "$(snaps "$ns.fresh")" 1
  expect_eq "$name: new table rows" "$(rows "$ns.fresh")" 8
  expect_eq "$name: new table data files" "$(datafiles "$dir/fresh")" 1
}

C=(--warehouse "$WH")
suite sqlite sq
C=(--warehouse "$WH" --catalog "$PG_URI")
suite postgresql pg
finish
