# Helpers for tests/cli/*.sh (sourced; not a test itself). $ICESTREAM is the binary,
# $ICE_TEST_DATA_DIR the fixtures in tests/data (ctest sets both).
set -u
# No test reaches a real object store by accident: S3 settings come only from the test.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_PROFILE
: "${ICESTREAM:?set ICESTREAM to the icestream binary}"
TESTDATA=${ICE_TEST_DATA_DIR:-$(cd "$(dirname "$0")/../data" && pwd)}
PQ=$TESTDATA/parquet-testing/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run ARGS...: runs icestream, leaving stdout in $TMP/out, stderr in $TMP/err, status in $rc.
run() {
  "$ICESTREAM" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
}

# expect_ok DESCRIPTION: the last run succeeded with nothing on stderr.
expect_ok() {
  if [ "$rc" -ne 0 ]; then
    fail "$1: exit $rc, stderr: $(head -c 300 "$TMP/err")"
  elif [ -s "$TMP/err" ]; then
    fail "$1: unexpected stderr: $(head -c 300 "$TMP/err")"
  fi
}

# expect_error DESCRIPTION [STATUS] [PATTERN]: the last run failed (with STATUS if given,
# never by a signal) and printed exactly one line "icestream: error: ..." (matching the
# grep -E PATTERN if given) on stderr.
expect_error() {
  local what=$1 want=${2:-} pattern=${3:-}
  if [ "$rc" -eq 0 ]; then
    fail "$what: succeeded, expected an error"
    return
  fi
  if [ "$rc" -ge 128 ]; then
    fail "$what: killed by a signal (exit $rc): $(tail -c 500 "$TMP/err")"
    return
  fi
  if [ -n "$want" ] && [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, expected $want"
  fi
  local lines
  lines=$(wc -l <"$TMP/err")
  if [ "$lines" -ne 1 ] || ! grep -q '^icestream: error: ' "$TMP/err"; then
    fail "$what: stderr is not one 'icestream: error:' line: $(head -c 500 "$TMP/err")"
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$TMP/err"; then
    fail "$what: error does not match /$pattern/: $(cat "$TMP/err")"
  fi
}

# expect_stdout DESCRIPTION EXPECTED: stdout of the last run is exactly EXPECTED (plus the
# final newline).
expect_stdout() {
  local got
  got=$(cat "$TMP/out")
  if [ "$got" != "$2" ]; then
    fail "$1: stdout differs"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$got") | head -20 >&2
  fi
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
