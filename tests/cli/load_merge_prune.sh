#!/usr/bin/env bash
# A merge reads only the data files whose key bounds admit an incoming key: on tables
# of 21 data files with disjoint key ranges (one load per file), a merge whose keys all
# fall into one file's range scans that file alone; copy-on-write rewrites just it, and
# merge-on-read writes one position delete file that references it (read with avsc).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

FILES=21
HIT=10 # the file the merge's keys fall into
# File i holds ids i*1000 .. i*1000+499; the gaps between files take the inserts.
stmts=()
for i in $(seq 0 $((FILES - 1))); do
  stmts+=("COPY (SELECT range AS id, 'v' || range AS v, (range % 7)::INTEGER AS q
    FROM range($((i * 1000)), $((i * 1000 + 500)))) TO '$D/f$i.parquet' (FORMAT parquet)")
done
duck "${stmts[@]}" >/dev/null || fail "duckdb: inputs"
# The merge: ids 10490..10499 updated (q + 100), 10500..10509 inserted.
lo=$((HIT * 1000 + 490))
pq m "SELECT range AS id, 'v' || range AS v, ((range % 7) + 100)::INTEGER AS q
  FROM range($lo, $((lo + 20)))"

# want_rows: the rows every table must hold after the merge, sorted.
want_rows() {
  python3 - "$FILES" "$lo" <<'PY' | sort
import json, sys
files, lo = int(sys.argv[1]), int(sys.argv[2])
rows = {i: i % 7 for f in range(files) for i in range(f * 1000, f * 1000 + 500)}
for i in range(lo, lo + 20):
    rows[i] = i % 7 + 100
for i, q in rows.items():
    print(json.dumps({"id": i, "v": "v%d" % i, "q": q}, separators=(",", ":")))
PY
}
want=$(want_rows)

# live TABLE: the current snapshot's live files, one JSON line each (avsc).
live() {
  node "$INTEROP_DIR/list_live_files.mjs" "$(metadata_of "$1")"
}

for mode in copy-on-write merge-on-read; do
  t=db.prune_${mode//-/_}
  props=()
  [ "$mode" = merge-on-read ] && props=("${mor_props[@]}")
  for i in $(seq 0 $((FILES - 1))); do
    run load --warehouse "$WH" "${props[@]}" "$t" "$D/f$i.parquet"
    expect_ok "$mode: load file $i"
  done
  expect_eq "$mode: data files before" "$(summary "$t" total-data-files)" "$FILES"
  # the live data file whose first row is id HIT*1000 (icestream cat reads each)
  hit=$(live "$t" | python3 -c '
import json, subprocess, sys
for l in sys.stdin:
    p = json.loads(l)["path"]
    first = subprocess.run([sys.argv[1], "cat", "--columns", "id", "--limit", "1",
                            p.removeprefix("file:")], capture_output=True, text=True).stdout
    if first.strip() == "{\"id\":%s}" % sys.argv[2]:
        print(p)' "$ICESTREAM" $((HIT * 1000)))
  [ -n "$hit" ] || fail "$mode: no live data file starts at id $((HIT * 1000))"
  live "$t" | python3 -c 'import json,sys; [print(json.loads(l)["path"]) for l in sys.stdin]' | sort >"$TMP/before"

  merge "$t" --merge-key id "$D/m.parquet"
  expect_ok "$mode: merge"
  expect_eq "$mode: counters" "$(counters)" "10 10 0 0"
  expect_eq "$mode: files scanned" "$(mj files_scanned)" 1
  expect_eq "$mode: operation" "$(mj operation)" overwrite
  expect_eq "$mode: snapshots" "$(snapcount "$t")" $((FILES + 1))
  expect_eq "$mode: rows" "$(rows "$t")" "$want"
  live "$t" >"$TMP/live"
  if [ "$mode" = copy-on-write ]; then
    expect_eq "cow: files rewritten" "$(mj files_rewritten)" 1
    expect_eq "cow: delete files" "$(mj delete_files_added)" 0
    expect_eq "cow: deleted-data-files" "$(summary "$t" deleted-data-files)" 1
    expect_eq "cow: deleted-records" "$(summary "$t" deleted-records)" 500
    expect_eq "cow: added-records" "$(summary "$t" added-records)" 510
    grep -qF "\"path\":\"$hit\"" "$TMP/live" && fail "cow: the rewritten file $hit is still live"
    expect_eq "cow: total-records" "$(summary "$t" total-records)" $((FILES * 500 + 10))
    python3 -c 'import json,sys; [print(json.loads(l)["path"]) for l in open(sys.argv[1])]' "$TMP/live" |
      sort >"$TMP/after"
    expect_eq "cow: untouched files still live" "$(comm -12 "$TMP/before" "$TMP/after" | wc -l)" \
      $((FILES - 1))
    expect_eq "cow: live data files" "$(wc -l <"$TMP/after")" "$(summary "$t" total-data-files)"
  else
    expect_eq "mor: files rewritten" "$(mj files_rewritten)" 0
    expect_eq "mor: delete files" "$(mj delete_files_added)" 1
    expect_eq "mor: added-position-deletes" "$(summary "$t" added-position-deletes)" 10
    expect_eq "mor: added-delete-files" "$(summary "$t" added-delete-files)" 1
    expect_eq "mor: added-records" "$(summary "$t" added-records)" 20
    expect_eq "mor: total-data-files" "$(summary "$t" total-data-files)" $((FILES + 1))
    # total-records counts data files' rows; the deleted ones are position deletes
    expect_eq "mor: total-records" "$(summary "$t" total-records)" $((FILES * 500 + 20))
    expect_eq "mor: total-position-deletes" "$(summary "$t" total-position-deletes)" 10
    dels=$(python3 -c 'import json,sys; [print(json.dumps(x)) for x in map(json.loads, open(sys.argv[1])) if x["content"]==1]' "$TMP/live")
    expect_eq "mor: one live delete file" "$(printf '%s\n' "$dels" | grep -c .)" 1
    expect_eq "mor: referenced_data_file" "$(printf '%s' "$dels" | jget /dev/stdin "d['ref']")" "$hit"
    # what the delete file holds: the positions 490..499 of that file
    dpath=$(printf '%s' "$dels" | jget /dev/stdin "d['path']")
    got=$("$ICESTREAM" cat "${dpath#file:}" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(sorted({r["file_path"] for r in rows}), [r["pos"] for r in rows])')
    expect_eq "mor: delete file rows" "$got" "['$hit'] [490, 491, 492, 493, 494, 495, 496, 497, 498, 499]"
    rows "$t" >"$TMP/scan.jsonl"
    node "$INTEROP_DIR/check_scan.mjs" "$(metadata_of "$t" | sed 's/^file://')" --map "file:/=/" \
      --expect-jsonl "$TMP/scan.jsonl" >"$TMP/check" 2>&1 || fail "mor: interop: $(tail -c 600 "$TMP/check")"
  fi
done

# keys spanning two files' ranges scan exactly those two
pq two "SELECT range AS id, 'w' AS v, 0::INTEGER AS q FROM range(3499, 4001)"
merge db.prune_copy_on_write --merge-key id "$D/two.parquet"
expect_ok "two files: merge"
expect_eq "two files: files scanned" "$(mj files_scanned)" 2
expect_eq "two files: files rewritten" "$(mj files_rewritten)" 2
finish
