#!/usr/bin/env bash
# Position delete files written by wr_pos_delete_writer, judged by readers we did not
# write: test_api_pos_deletes_commit builds a table (two loaded data files, then two
# committed delete files: one naming both data files, one naming only the second) and
# keeps it here; tests/interop/check_pos_deletes.mjs reads each delete file with
# hyparquet and DuckDB (two required columns with the reserved field ids, the footer
# iceberg.schema, exactly the rows written, in order), and check_scan.mjs computes the
# table's live rows with DuckDB (the spec's delete rules in SQL) and icebird, which must
# equal what `icestream scan` returns.
source "$(dirname "$0")/lib_cli.bash"
SRC=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
INTEROP=$SRC/tests/interop
UNIT=${ICE_BUILD_DIR:-$(dirname "$ICESTREAM")}/test_api_pos_deletes_commit
if ! command -v node >/dev/null || [ ! -d "$INTEROP/node_modules/hyparquet" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi
[ -x "$UNIT" ] || { fail "$UNIT not built"; finish; }
K=$TMP/table
mkdir -p "$K"
ICE_POS_DELETES_DIR=$K "$UNIT" >"$TMP/unit.log" 2>&1 ||
  fail "test_api_pos_deletes_commit: $(tail -5 "$TMP/unit.log")"
[ -s "$K/delete_files" ] && [ -s "$K/metadata_file" ] || { fail "no table kept"; finish; }

node "$INTEROP/check_pos_deletes.mjs" --files "$K/delete_files" \
  --expect "$K/expected_deletes.jsonl" >"$TMP/check" 2>&1 ||
  fail "delete files: $(cat "$TMP/check")"
# The check must be able to fail: a position it was not written with is a mismatch.
sed '1s/"pos":[0-9]*/"pos":7/' "$K/expected_deletes.jsonl" >"$TMP/wrong.jsonl"
node "$INTEROP/check_pos_deletes.mjs" --files "$K/delete_files" \
  --expect "$TMP/wrong.jsonl" >/dev/null 2>&1 &&
  fail "check_pos_deletes accepted a wrong position"

meta=$(cat "$K/metadata_file")
run scan --metadata "$meta"
expect_ok "scan of the table with position deletes"
cp "$TMP/out" "$TMP/rows.jsonl"
[ "$(wc -l <"$TMP/rows.jsonl")" -eq 14 ] || fail "scan returned $(wc -l <"$TMP/rows.jsonl") rows, expected 14"
node "$INTEROP/check_scan.mjs" "${meta#file:}" --expect-jsonl "$TMP/rows.jsonl" \
  >"$TMP/check" 2>&1 || fail "table: $(cat "$TMP/check")"
# A row the readers do not compute is a mismatch too.
{ cat "$TMP/rows.jsonl"; echo '{"id":99}'; } >"$TMP/more.jsonl"
node "$INTEROP/check_scan.mjs" "${meta#file:}" --expect-jsonl "$TMP/more.jsonl" \
  >/dev/null 2>&1 && fail "check_scan accepted a deleted row"
finish
