# Helpers for the REST catalog tests (sourced after lib_cli.bash): start `icestream
# serve` on a free loopback port, and the validating proxy (tests/interop/rest_proxy.mjs)
# in front of it. Both are stopped by their process ids when the test exits.
INTEROP_DIR=${INTEROP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../interop" && pwd)}
REST_PIDS=()
rest_cleanup() {
  for p in "${REST_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${REST_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap rest_cleanup EXIT

have_node_rest() {
  command -v node >/dev/null && [ -d "$INTEROP_DIR/node_modules/ajv" ] &&
    [ -d "$INTEROP_DIR/node_modules/iceberg-js" ]
}

# start_serve NAME ARGS...: runs `icestream serve --listen 127.0.0.1:0 ARGS`; sets
# SERVE_URL and SERVE_PID (NAME names its output files in $TMP).
start_serve() {
  local name=$1
  shift
  "$ICESTREAM" serve --listen 127.0.0.1:0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SERVE_PID=$!
  REST_PIDS+=("$SERVE_PID")
  for _ in $(seq 100); do
    grep -q '^listening on ' "$TMP/$name.out" 2>/dev/null && break
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.1
  done
  SERVE_URL=$(sed -n 's/^listening on //p' "$TMP/$name.out")
  [ -n "$SERVE_URL" ] || { fail "serve $name did not start: $(cat "$TMP/$name.err")"; finish; }
}

# stop_pid PID: stops one process this test started and waits for it.
stop_pid() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

# start_proxy NAME UPSTREAM [OPTIONS...]: the validating proxy; sets PROXY_URL,
# PROXY_PID and PROXY_LOG.
start_proxy() {
  local name=$1 upstream=$2
  shift 2
  PROXY_LOG=$TMP/$name.log
  : >"$PROXY_LOG"
  node "$INTEROP_DIR/rest_proxy.mjs" "$upstream" "$TMP/$name.port" "$PROXY_LOG" "$@" \
    2>"$TMP/$name.err" &
  PROXY_PID=$!
  REST_PIDS+=("$PROXY_PID")
  for _ in $(seq 150); do
    [ -s "$TMP/$name.port" ] && break
    sleep 0.1
  done
  [ -s "$TMP/$name.port" ] || { fail "proxy $name did not start: $(cat "$TMP/$name.err")"; finish; }
  PROXY_URL=http://127.0.0.1:$(cat "$TMP/$name.port")
}

# check_exchanges WHAT LOG OP...: every exchange in LOG matched the OpenAPI document,
# and each named operationId appears at least once. The one request a test sends broken
# on purpose (an update with action "frobnicate", answered 400) must be flagged, so a
# validator that accepts anything fails the check; REST_EXPECT_BROKEN=0 when no test
# sent it.
check_exchanges() {
  local what=$1 log=$2
  shift 2
  python3 - "$log" "$@" >"$TMP/exchanges" 2>&1 <<'PY' || fail "$what: $(head -c 1500 "$TMP/exchanges")"
import json, os, sys
log, want = sys.argv[1], sys.argv[2:]
rows = [json.loads(l) for l in open(log)]
broken = [r for r in rows if r["status"] == 400 and any("frobnicate" in p for p in r["problems"])]
bad = [r for r in rows if r["problems"] and r not in broken]
if os.environ.get("REST_EXPECT_BROKEN", "1") == "1" and not broken:
    print("the deliberately broken commit was not flagged by the validator")
    bad = bad or [None]
for r in [b for b in bad if b][:10]:
    print(r["method"], r["path"], r["status"], r["problems"])
ops = {r["op"] for r in rows}
missing = [o for o in want if o not in ops]
if missing:
    print("operations never seen:", missing, "seen:", sorted(o for o in ops if o))
if not rows:
    print("no exchanges logged")
sys.exit(1 if bad or missing or not rows else 0)
PY
}
