#!/usr/bin/env bash
# --threads for merges: an upsert with hard deletes into a copy-on-write and into a
# merge-on-read table, run at --threads 1 and --threads 4 on copies of the same stored
# table, writes the same new data files and position delete files byte for byte (paired
# in name order: the names differ only by each merge's id), the same manifest entries
# (read with avsc), the same snapshot summary and the same --json counters. Every merge
# runs in the same warehouse path, so the delete files name the same data files. A
# merge over a corrupt stored file fails with the same message at 1, 2 and 4 threads.
# Inputs are written by DuckDB (tests/interop/node_modules).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"
source "$(dirname "$0")/lib_threads.bash"

# cols QTY_DELTA GONE: the table's columns as functions of i.
cols() {
  echo "i::BIGINT AS id, (i * 7919 % 1000 + $1)::INTEGER AS qty,
        CASE WHEN i % 7 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS token,
        ['red','green','blue','grey'][1 + i % 4] AS colour,
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 1000) / 8.0 END AS price,
        $2 AS gone"
}
pq base "SELECT $(cols 0 false) FROM range(200000) t(i)"
# Every third stored row updated (60001: not those deleted), every tenth (i % 10 = 1)
# deleted, 40000 inserted.
pq change "SELECT $(cols 1 'i % 10 = 1 AND i < 200000') FROM range(240000) t(i)
           WHERE i % 3 = 0 OR i % 10 = 1 OR i >= 200000"

for mode in copy-on-write merge-on-read; do
  set_props "$mode"
  # Small data files and pages, so each merge writes several files of many pages.
  props+=(--property write.target-file-size-bytes=1000000
          --property write.parquet.page-size-bytes=32768)
  rm -rf "$WH" "$TMP/base"
  merge db.m --merge-key id --threads 1 "${props[@]}" "$D/base.parquet"
  expect_ok "$mode: base"
  cp -a "$WH" "$TMP/base"
  for t in 1 4; do
    rm -rf "$WH"
    cp -a "$TMP/base" "$WH"
    merge db.m --merge-key id --hard-delete gone --threads "$t" "$D/change.parquet"
    expect_ok "$mode: merge --threads $t"
    expect_eq "$mode: counters at $t" "$(counters)" "40000 60001 20000 0"
    jget "$TMP/m.json" "' '.join(str(d.get(k)) for k in ['operation','files_rewritten','data_files_added','delete_files_added'])" >"$TMP/json$t"
    entries "$WH" db.m >"$TMP/entries$t"
    "$ICESTREAM" snapshots --json --warehouse "$WH" db.m >"$TMP/snaps.json" ||
      fail "$mode: snapshots at $t"
    jget "$TMP/snaps.json" "sorted(d[-1]['summary'].items())" >"$TMP/summary$t"
    expect_eq "$mode: rows at $t" "$(rowcount db.m)" 220000
    # The merge's own files: the Parquet files the stored table did not have.
    rm -rf "$TMP/new$t"
    mkdir -p "$TMP/new$t"
    (cd "$WH" && find . -name '*.parquet' | sort) >"$TMP/all$t"
    (cd "$TMP/base" && find . -name '*.parquet' | sort) >"$TMP/old"
    comm -23 "$TMP/all$t" "$TMP/old" | while read -r f; do cp "$WH/$f" "$TMP/new$t/${f//\//_}"; done
    expect_eq "$mode: new files at $t" "$(find "$TMP/new$t" -name '*.parquet' | wc -l)" \
      "$(jget "$TMP/m.json" "d['data_files_added'] + d['delete_files_added']")"
  done
  same_files "$TMP/new1" "$TMP/new4" "$mode: merge"
  expect_eq "$mode: --json at 4 threads" "$(cat "$TMP/json4")" "$(cat "$TMP/json1")"
  [ -s "$TMP/entries1" ] || fail "$mode: no manifest entries read"
  expect_eq "$mode: manifest entries" "$(cat "$TMP/entries4")" "$(cat "$TMP/entries1")"
  expect_eq "$mode: snapshot summary" "$(cat "$TMP/summary4")" "$(cat "$TMP/summary1")"
done

# A corrupt stored file (a garbage page header in its 'token' column): the copy-on-write
# merge reads it ahead above 1 thread, and fails with the same message naming the file
# at 1, 2 and 4 threads, the table as it was.
set_props copy-on-write
rm -rf "$WH" "$TMP/base"
merge db.m --merge-key id --threads 1 "${props[@]}" --property write.target-file-size-bytes=1000000 \
  "$D/base.parquet"
expect_ok "corrupt: base"
victim=$(cd "$WH" && find . -path '*/data/*.parquet' | sort | head -1)
off=$(duck "SELECT data_page_offset AS o FROM parquet_metadata('$WH/$victim')
            WHERE row_group_id = 0 AND path_in_schema = 'token'" | python3 -c \
  'import json,sys; print(json.loads(sys.stdin.read())["o"])')
printf '\377%.0s' {1..16} | dd of="$WH/$victim" bs=1 seek="$off" conv=notrunc status=none ||
  fail "could not corrupt $victim"
# state: the catalog's metadata location and every file of the table, with its bytes.
state() {
  metadata_of db.m
  (cd "$WH/db/m" && find . -type f | sort | xargs md5sum)
}
before=$(state)
text=
for t in 1 2 4; do
  merge db.m --merge-key id --threads "$t" "$D/change.parquet"
  expect_error "corrupt stored file, --threads $t" 1 \
    "${victim##*/}: row group 0: column 'token': page 0: page header"
  [ -n "$text" ] || text=$(cat "$TMP/err")
  expect_eq "corrupt stored file error, --threads $t" "$(cat "$TMP/err")" "$text"
  expect_eq "corrupt stored file, --threads $t: the table" "$(state)" "$before"
done
finish
