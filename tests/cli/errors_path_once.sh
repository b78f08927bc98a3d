#!/usr/bin/env bash
# An error names each file once: the lower layers start their messages with the path they
# failed on, so a caller's "manifest X" context must not repeat it ("manifest X: X: cannot
# open"). Each case breaks one file of a table (or an input), runs the command that reads
# it and counts how often that file's path appears in the one error line.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

# once WHAT PATH ARGS...: runs icestream ARGS, expects an error naming PATH exactly once.
once() {
  local what=$1 path=$2
  shift 2
  run "$@"
  expect_error "$what"
  local n
  n=$(grep -o -F -- "$path" "$TMP/err" | wc -l)
  [ "$n" -eq 1 ] || fail "$what: $path named $n times: $(cat "$TMP/err")"
}

# fresh_table: a table of two snapshots; its files in $T.
fresh_table() {
  rm -rf "$WH"
  run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
  expect_ok "setup load"
  T=$WH/db/t
}

fresh_table
f=$(ls "$T"/data/*.parquet | head -1)
rm "$f"
once "scan, data file missing" "$f" scan --warehouse "$WH" db.t

fresh_table
f=$(ls "$T"/data/*.parquet | head -1)
echo "not parquet" >"$f"
once "scan, data file not Parquet" "$f" scan --warehouse "$WH" db.t

fresh_table
f=$(ls "$T"/metadata/*-m0.avro | head -1)
rm "$f"
once "scan, manifest missing" "$f" scan --warehouse "$WH" db.t

fresh_table
f=$(ls "$T"/metadata/*-m0.avro | head -1)
printf 'Obj\001' >"$f"
once "scan, manifest truncated" "$f" scan --warehouse "$WH" db.t

fresh_table
f=$(ls "$T"/metadata/snap-*.avro | head -1)
rm "$f"
once "scan, manifest list missing" "$f" scan --warehouse "$WH" db.t
once "load, manifest list missing" "$f" load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"

fresh_table
f=$(ls "$T"/metadata/*.metadata.json | head -1)
echo '{' >"$f"
once "describe, metadata not JSON" "$f" describe --warehouse "$WH" db.t
once "load, metadata not JSON" "$f" load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"

# inputs and outputs of the file commands
fresh_table
head -c 100 "$P/alltypes_plain.parquet" >"$TMP/short.parquet"
once "load, truncated input" "$TMP/short.parquet" load --warehouse "$WH" db.t "$TMP/short.parquet"
once "cat, truncated input" "$TMP/short.parquet" cat "$TMP/short.parquet"
once "cat, missing input" "$TMP/none.parquet" cat "$TMP/none.parquet"
: >"$TMP/exists.parquet"
once "rewrite, output exists" "$TMP/exists.parquet" rewrite "$P/alltypes_plain.parquet" \
  "$TMP/exists.parquet"
finish
