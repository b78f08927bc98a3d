#!/usr/bin/env bash
# 8 processes x 10 appends each into one table through `icestream serve` (every row
# present once, snapshot count exact, the sequence numbers and parent chain unbroken),
# then the same through a proxy that loses every 5th commit response (20 %) after serve
# applied the commit: once resolved by resending under the same Idempotency-Key, once
# with idempotency hidden from the client so it must reload and find its snapshot. No
# duplicate, no lost row, and every file the table references still exists (no
# orphan deletion of committed files: DuckDB and icebird read them all).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_node_rest && have_duckdb || { fail "needs tests/interop node_modules (npm ci)"; finish; }
PROCS=${REST_PROCS:-8}
LOADS=${REST_LOADS:-10}

WH=$TMP/wh
D=$TMP/in
mkdir -p "$D"
# One input per (process, load): rows (p, l, k) for k in 0..2, written in one DuckDB run.
stmts=()
for p in $(seq 1 "$PROCS"); do
  for l in $(seq 1 "$LOADS"); do
    stmts+=("COPY (SELECT $p::INTEGER AS p, $l::INTEGER AS l, range::INTEGER AS k FROM range(3)) TO '$D/$p.$l.parquet'")
  done
done
duck "${stmts[@]}" >/dev/null || fail "duckdb inputs"

start_serve c --warehouse "$WH"

# race NAME URL: creates db.NAME, then PROCS x LOADS concurrent appends through URL.
race() {
  local name=$1 url=$2 pids=()
  run create --catalog "$url" "db.$name" --schema-from "$D/1.1.parquet"
  expect_ok "create db.$name"
  rm -f "$TMP/failures"
  for p in $(seq 1 "$PROCS"); do
    (
      for l in $(seq 1 "$LOADS"); do
        "$ICESTREAM" load --json --catalog "$url" --property commit.retry.num-retries=200 \
          --property commit.retry.min-wait-ms=5 --property commit.retry.max-wait-ms=300 \
          "db.$name" "$D/$p.$l.parquet" >"$TMP/$name.out.$p.$l" 2>"$TMP/$name.err.$p.$l" ||
          echo "load $p.$l failed: $(cat "$TMP/$name.err.$p.$l")" >>"$TMP/failures"
      done
    ) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  [ -s "$TMP/failures" ] && fail "$name: $(head -c 1500 "$TMP/failures")"
  local total=$((PROCS * LOADS))
  run snapshots --json --warehouse "$WH" "db.$name"
  expect_ok "$name: snapshots"
  expect_eq "$name: snapshot count" "$(jget "$TMP/out" "len(d)")" "$total"
  expect_eq "$name: all appends" "$(jget "$TMP/out" "all(s['summary']['operation'] == 'append' for s in d)")" True
  expect_eq "$name: sequence numbers" "$(jget "$TMP/out" "[s['sequence-number'] for s in d] == list(range(1, len(d) + 1))")" True
  expect_eq "$name: parent chain" "$(jget "$TMP/out" "all(d[i]['parent-snapshot-id'] == d[i-1]['snapshot-id'] for i in range(1, len(d)))")" True
  "$ICESTREAM" scan --warehouse "$WH" "db.$name" >"$TMP/$name.rows" 2>"$TMP/scan.err" || fail "$name: scan: $(cat "$TMP/scan.err")"
  python3 - "$TMP/$name.rows" "$PROCS" "$LOADS" >"$TMP/rowcheck" 2>&1 <<'PY' || fail "$name: rows: $(cat "$TMP/rowcheck")"
import json, sys
rows = [tuple(json.loads(l)[k] for k in ("p", "l", "k")) for l in open(sys.argv[1])]
want = {(p, l, k) for p in range(1, int(sys.argv[2]) + 1) for l in range(1, int(sys.argv[3]) + 1) for k in range(3)}
dups = len(rows) - len(set(rows))
missing = want - set(rows)
extra = set(rows) - want
print(f"{len(rows)} rows, {dups} duplicates, {len(missing)} missing, {len(extra)} unexpected")
sys.exit(1 if dups or missing or extra else 0)
PY
  run describe --json --warehouse "$WH" "db.$name"
  local md
  md=$(jget "$TMP/out" "d['metadata-location']")
  node "$INTEROP_DIR/check_scan.mjs" "${md#file:}" --map "file:/=/" --expect-jsonl "$TMP/$name.rows" \
    >"$TMP/check" 2>&1 || fail "$name: interop read: $(tail -c 600 "$TMP/check")"
  echo "$name: commit attempts $(cat "$TMP/$name".out.* | python3 -c 'import sys,json; a=[json.loads(l)["attempts"] for l in sys.stdin]; print("max", max(a), "total", sum(a))')"
}

race direct "$SERVE_URL"

start_proxy drop "$SERVE_URL" --drop-commits 5
race idem "$PROXY_URL"
dropped=$(grep -c '"dropped":true' "$PROXY_LOG")
[ "$dropped" -ge $((PROCS * LOADS / 5)) ] || fail "idem: only $dropped commit responses were dropped"
REST_EXPECT_BROKEN=0 check_exchanges "idem: OpenAPI validation" "$PROXY_LOG" updateTable loadTable
stop_pid "$PROXY_PID"

start_proxy reload "$SERVE_URL" --drop-commits 5 --hide-idempotency
race reload "$PROXY_URL"
dropped=$(grep -c '"dropped":true' "$PROXY_LOG")
[ "$dropped" -ge $((PROCS * LOADS / 5)) ] || fail "reload: only $dropped commit responses were dropped"
REST_EXPECT_BROKEN=0 check_exchanges "reload: OpenAPI validation" "$PROXY_LOG" updateTable loadTable
finish
