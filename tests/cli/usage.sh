#!/usr/bin/env bash
# The icestream command line: --help everywhere, wrong usage and unknown commands give
# exit status 2 and one error line, missing and unreadable files one error line.
source "$(dirname "$0")/lib_cli.bash"

run --help
expect_ok "icestream --help"
grep -q 'cat' "$TMP/out" && grep -q 'schema' "$TMP/out" || fail "--help lists no commands"
run --version
expect_ok "icestream --version"
grep -qE '^icestream [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out" || fail "--version: $(cat "$TMP/out")"
for cmd in cat schema; do
  run "$cmd" --help
  expect_ok "icestream $cmd --help"
  grep -q "^usage: icestream $cmd" "$TMP/out" || fail "$cmd --help has no usage line"
done

run
expect_error "no command" 2
run frobnicate
expect_error "unknown command" 2 "unknown command 'frobnicate'"
run cat
expect_error "cat without a file" 2
run cat a.parquet b.parquet
expect_error "cat with two files" 2 "unexpected argument"
run cat --bogus "$PQ/alltypes_plain.parquet"
expect_error "cat --bogus" 2 "unknown option '--bogus'"
run cat -x "$PQ/alltypes_plain.parquet"
expect_error "cat -x" 2
run cat --limit
expect_error "cat --limit without value" 2 "needs a value"
for bad in abc -1 1x ''; do
  run cat --limit "$bad" "$PQ/alltypes_plain.parquet"
  expect_error "cat --limit '$bad'" 2 "--limit"
done
run cat --format xml "$PQ/alltypes_plain.parquet"
expect_error "cat --format xml" 2 "jsonl or csv"
run cat --columns 'a,,b' "$PQ/alltypes_plain.parquet"
expect_error "cat --columns with an empty item" 2
run schema
expect_error "schema without a file" 2
run schema --nope x.parquet
expect_error "schema --nope" 2

run cat "$TMP/does-not-exist.parquet"
expect_error "cat of a missing file" 1
run schema "$TMP/does-not-exist.parquet"
expect_error "schema of a missing file" 1
printf 'this is not parquet at all' >"$TMP/text.parquet"
run cat "$TMP/text.parquet"
expect_error "cat of a text file" 1
: >"$TMP/empty.parquet"
run cat "$TMP/empty.parquet"
expect_error "cat of an empty file" 1
run cat "$TMP"
expect_error "cat of a directory" 1
run cat --columns no_such_column "$PQ/alltypes_plain.parquet"
expect_error "cat of an unknown column" 1 "no_such_column"

# --property takes KEY=VALUE, the same rule for load and create; a table property is
# set when the table is created.
for cmd in load create; do
  for bad in foo =x; do
    run "$cmd" --warehouse "$TMP/wh" --property "$bad" db.t
    expect_error "$cmd --property $bad" 2 "$cmd: --property expects KEY=VALUE, got '$bad'"
  done
done
[ -e "$TMP/wh" ] && fail "a bad --property created the warehouse"
run create --warehouse "$TMP/wh" --property a.b=c=d --schema-from "$PQ/alltypes_plain.parquet" db.p
expect_ok "create --property a.b=c=d"
run describe --warehouse "$TMP/wh" db.p
grep -q 'a.b.*c=d' "$TMP/out" || fail "describe does not show property a.b = c=d: $(cat "$TMP/out")"

# format-version, the manifest codec and writer properties: the same rules whichever
# command creates the table, checked before anything is written.
for cmd in load create; do
  tail=("$PQ/alltypes_plain.parquet")
  [ "$cmd" = create ] && tail=(--schema-from "$PQ/alltypes_plain.parquet")
  try() { # DESCRIPTION PROPERTY PATTERN
    run "$cmd" --warehouse "$TMP/fv" --property "$2" db.f "${tail[@]}"
    expect_error "$cmd $1" 1 "$3"
  }
  try "format-version=1" format-version=1 "format-version must be 2 \\(got '1'\\)"
  try "format-version=x" format-version=x "format-version must be 2 \\(got 'x'\\)"
  try "format-version=3" format-version=3 "format-version 3 tables cannot be created yet"
  try "manifest codec lzma" write.manifest.compression-codec=lzma \
    "compression-codec=lzma: expected gzip or none"
  try "parquet codec lzma" write.parquet.compression-codec=lzma \
    "table property write.parquet.compression-codec: unknown codec 'lzma'"
  try "retry count" commit.retry.num-retries=-1 "commit.retry.num-retries"
  [ ! -e "$TMP/fv/db/f" ] || fail "$cmd: a refused table left $TMP/fv/db/f"
  run "$cmd" --warehouse "$TMP/fv" --property format-version=2 "db.f2$cmd" "${tail[@]}"
  expect_ok "$cmd format-version=2"
  run describe --warehouse "$TMP/fv" "db.f2$cmd"
  grep -q 'property: *format-version' "$TMP/out" && fail "$cmd stored format-version as a property"
done

# write.manifest.compression-codec: manifests and manifest lists are written with the
# Avro codec it names (gzip = deflate by default, none = null).
codecs() { # DIR: the avro.codec of every Avro file under DIR, one per line
  python3 - "$1" <<'PY'
import pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).rglob("*.avro")):
    b = f.read_bytes()[:4096]
    print("null" if b"avro.codec\x08null" in b else "deflate" if b"avro.codec\x0edeflate" in b else "?")
PY
}
for v in none gzip; do
  run load --warehouse "$TMP/mc$v" --property write.manifest.compression-codec=$v db.m \
    "$PQ/alltypes_plain.parquet"
  expect_ok "load with manifest codec $v"
  want=deflate
  [ $v = none ] && want=null
  got=$(codecs "$TMP/mc$v" | sort -u | tr '\n' ' ')
  [ "$got" = "$want " ] || fail "manifest codec $v: Avro files say $got, want $want"
done

finish
