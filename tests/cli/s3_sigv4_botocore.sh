#!/usr/bin/env bash
# SigV4 against botocore: Debian's python3-botocore signs a fixed set of S3 requests
# (ranged GET, HEAD, PUT, multipart create/part/complete/abort, DELETE, ListObjectsV2
# with a continuation token, a session token, odd keys, virtual-hosted HTTPS) at a fixed
# time; icestream's request signer must produce the same URL and Authorization header
# for every one (test_io_s3_sigv4 --compare).
source "$(dirname "$0")/lib_cli.bash"
: "${ICE_BUILD_DIR:?set ICE_BUILD_DIR to the build folder}"
# Debian's python3-botocore (scripts/install-deps.sh), not whatever python3 is first on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" "$(dirname "$0")/s3_botocore_sign.py" >"$TMP/requests.tsv" 2>"$TMP/py.err" ||
  fail "botocore signer failed: $(head -c 300 "$TMP/py.err")"
n=$(wc -l <"$TMP/requests.tsv")
[ "$n" -ge 8 ] || fail "botocore signed only $n requests"
"$ICE_BUILD_DIR/test_io_s3_sigv4" --compare "$TMP/requests.tsv" >"$TMP/out" 2>&1 ||
  fail "signatures differ from botocore: $(head -c 1500 "$TMP/out")"
grep -q "compared $n requests" "$TMP/out" || fail "not every request compared: $(cat "$TMP/out")"
finish
