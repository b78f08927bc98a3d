# Helpers for the S3 tests (sourced after lib_cli.bash): a real S3-compatible server
# (s3rver from tests/interop/node_modules) on loopback, storing its objects under
# $S3_DIR; Debian's boto3 as the independent client; the fault proxy s3_fault_proxy.py.
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../interop" && pwd)
S3RVER=$INTEROP_DIR/node_modules/.bin/s3rver
S3_DIR=$TMP/s3
S3_BUCKET=lake
S3_PID=
PROXY_PID=
trap 's3_stop; proxy_stop; rm -rf "$TMP"' EXIT

# Debian's python3-boto3 (scripts/install-deps.sh) is the independent client.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

have_s3rver() {
  command -v node >/dev/null && [ -x "$S3RVER" ] && "$PY" -c 'import boto3' 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# s3_start [PORT]: starts s3rver (bucket $S3_BUCKET) and waits until it answers.
s3_start() {
  S3_PORT=${1:-$(free_port)}
  mkdir -p "$S3_DIR"
  "$S3RVER" -d "$S3_DIR" -a 127.0.0.1 -p "$S3_PORT" --configure-bucket "$S3_BUCKET" \
    --silent >>"$TMP/s3rver.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 100); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' \
      "$S3_PORT" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "s3rver did not start: $(tail -c 500 "$TMP/s3rver.log")"
}

s3_stop() {
  if [ -n "$S3_PID" ]; then kill "$S3_PID" 2>/dev/null; wait "$S3_PID" 2>/dev/null; fi
  S3_PID=
}

# proxy_start ARGS...: the fault proxy in front of s3rver; sets PROXY_PORT.
proxy_start() {
  : >"$TMP/proxy.log"
  rm -f "$TMP/proxy.port"
  python3 "$(dirname "${BASH_SOURCE[0]}")/s3_fault_proxy.py" "$S3_PORT" "$TMP/proxy.log" "$@" \
    >"$TMP/proxy.port" 2>>"$TMP/proxy.err" &
  PROXY_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$TMP/proxy.port" ] && break
    sleep 0.1
  done
  PROXY_PORT=$(head -1 "$TMP/proxy.port")
  [ -n "$PROXY_PORT" ] || fail "the fault proxy did not start: $(cat "$TMP/proxy.err")"
}

proxy_stop() {
  if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; fi
  PROXY_PID=
}

# boto ARGS...: python with boto3 client `s3` for the server ($S3_PORT), any credentials.
boto() {
  "$PY" - "$S3_PORT" "$S3_BUCKET" "$@" <<'PY'
import sys, os, boto3
port, bucket, cmd, *rest = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                  aws_access_key_id="S3RVER", aws_secret_access_key="S3RVER")
def keys(prefix):
    out, tok = [], None
    while True:
        kw = {"Bucket": bucket, "Prefix": prefix}
        if tok: kw["ContinuationToken"] = tok
        r = s3.list_objects_v2(**kw)
        out += [(o["Key"], o["Size"]) for o in r.get("Contents", [])]
        if not r.get("IsTruncated"): return out
        tok = r["NextContinuationToken"]
if cmd == "keys":            # keys PREFIX: "key size" per object
    for k, n in keys(rest[0]): print(k, n)
elif cmd == "copy":          # copy PREFIX DIR: downloads every object to DIR/BUCKET/KEY
    for k, _ in keys(rest[0]):
        dst = os.path.join(rest[1], bucket, k)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        s3.download_file(bucket, k, dst)
elif cmd == "get":           # get KEY: the object's bytes to stdout
    sys.stdout.buffer.write(s3.get_object(Bucket=bucket, Key=rest[0])["Body"].read())
PY
}
