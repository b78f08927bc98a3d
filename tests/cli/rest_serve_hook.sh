#!/usr/bin/env bash
# The test mode of `icestream serve` (test builds only): with
# ICESTREAM_TEST_SERVE_DROP_COMMITS=2 every 2nd applied commit is answered 503 as if its
# response was lost. icestream's client resends under the same Idempotency-Key and gets
# the remembered answer: 6 sequential appends give exactly 6 snapshots and every row
# once; a client that sends no key (curl) sees the 503 but the commit is in the table.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_rest.bash"
have_duckdb || { fail "needs tests/interop node_modules (npm ci)"; finish; }
WH=$TMP/wh
mkdir -p "$TMP/in"
for l in 1 2 3 4 5 6; do
  duck "COPY (SELECT $l::INTEGER AS l, range::INTEGER AS k FROM range(2)) TO '$TMP/in/$l.parquet'" >/dev/null
done
ICESTREAM_TEST_SERVE_DROP_COMMITS=2 start_serve hook --warehouse "$WH"
for l in 1 2 3 4 5 6; do
  run load --catalog "$SERVE_URL" db.t "$TMP/in/$l.parquet"
  expect_ok "append $l"
done
expect_eq "snapshots" "$(snapcount db.t)" 6
got=$("$ICESTREAM" scan --warehouse "$WH" db.t | sort | tr '\n' ' ')
want=$(for l in 1 2 3 4 5 6; do for k in 0 1; do echo "{\"l\":$l,\"k\":$k}"; done; done | sort | tr '\n' ' ')
expect_eq "rows" "$got" "$want"
# Without a key the 503 reaches the client, yet the commit was applied.
body='{"requirements":[],"updates":[{"action":"set-properties","updates":{"k1":"v"}}]}'
s1=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$SERVE_URL/v1/namespaces/db/tables/t")
body='{"requirements":[],"updates":[{"action":"set-properties","updates":{"k2":"v"}}]}'
s2=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$SERVE_URL/v1/namespaces/db/tables/t")
expect_eq "statuses of two raw commits" "$s1 $s2" "200 503"
run describe --json --warehouse "$WH" db.t
expect_eq "both property commits applied" "$(jget "$TMP/out" "d['properties'].get('k1')+d['properties'].get('k2')")" vv
finish
