#!/usr/bin/env bash
# icestream cat output on a known file (parquet-testing alltypes_plain: Impala, INT96
# timestamps, unannotated BYTE_ARRAY rendered as base64): JSONL and CSV forms, --limit,
# --columns, small batches, and that schema prints field and row-group facts.
source "$(dirname "$0")/lib_cli.bash"
F=$PQ/alltypes_plain.parquet

row0='{"id":4,"bool_col":true,"tinyint_col":0,"smallint_col":0,"int_col":0,"bigint_col":0,"float_col":0,"double_col":0,"date_string_col":"MDMvMDEvMDk=","string_col":"MA==","timestamp_col":"2009-03-01T00:00:00.000000000"}'
row1='{"id":5,"bool_col":false,"tinyint_col":1,"smallint_col":1,"int_col":1,"bigint_col":10,"float_col":1.1,"double_col":10.1,"date_string_col":"MDMvMDEvMDk=","string_col":"MQ==","timestamp_col":"2009-03-01T00:01:00.000000000"}'

run cat --limit 2 "$F"
expect_ok "cat --limit 2"
expect_stdout "cat --limit 2" "$row0
$row1"

run cat "$F"
expect_ok "cat"
[ "$(wc -l <"$TMP/out")" -eq 8 ] || fail "cat: expected 8 rows, got $(wc -l <"$TMP/out")"
head -2 "$TMP/out" >"$TMP/first2"
[ "$(cat "$TMP/first2")" = "$row0
$row1" ] || fail "cat: first rows differ from --limit 2"
cp "$TMP/out" "$TMP/all"

# Batches of 3 rows must give the same rows as one batch.
run cat --batch-rows 3 "$F"
expect_ok "cat --batch-rows 3"
cmp -s "$TMP/out" "$TMP/all" || fail "cat --batch-rows 3 differs from the default"

run cat --limit 0 "$F"
expect_ok "cat --limit 0"
[ ! -s "$TMP/out" ] || fail "cat --limit 0 printed rows"

run cat --limit 100 "$F"
expect_ok "cat --limit 100"
cmp -s "$TMP/out" "$TMP/all" || fail "cat --limit beyond the end differs"

run cat --columns id,float_col --limit 2 "$F"
expect_ok "cat --columns"
expect_stdout "cat --columns id,float_col" '{"id":4,"float_col":0}
{"id":5,"float_col":1.1}'

run cat --format csv --limit 2 --columns id,bool_col,double_col,string_col,timestamp_col "$F"
expect_ok "cat --format csv"
expect_stdout "cat --format csv" 'id,bool_col,double_col,string_col,timestamp_col
4,true,0,MA==,2009-03-01T00:00:00.000000000
5,false,10.1,MQ==,2009-03-01T00:01:00.000000000'

run cat --format=csv --limit=1 --columns=id "$F"
expect_ok "cat --opt=value forms"
expect_stdout "cat --opt=value forms" 'id
4'

# Nested projection (a struct member, a map) keeps file order and the struct around the
# member; values checked against DuckDB's reading of nullable.impala.parquet.
N=$PQ/nullable.impala.parquet
run cat --columns nested_struct.A,id,int_map --limit 3 "$N"
expect_ok "cat --columns nested"
expect_stdout "cat --columns nested" '{"id":1,"int_map":[{"key":"k1","value":1},{"key":"k2","value":100}],"nested_struct":{"A":1}}
{"id":2,"int_map":[{"key":"k1","value":2},{"key":"k2","value":null}],"nested_struct":{"A":null}}
{"id":3,"int_map":[],"nested_struct":{"A":null}}'
run cat --columns nested_struct.A,id --limit 2 --format csv "$N"
expect_ok "cat --format csv nested"
expect_stdout "cat --format csv nested" 'id,nested_struct
1,"{""A"":1}"
2,"{""A"":null}"'

run schema "$F"
expect_ok "schema"
for word in id bool_col timestamp_col INT96 BYTE_ARRAY; do
  grep -q "$word" "$TMP/out" || fail "schema output lacks '$word'"
done

# Field ids appear in schema output (binary.parquet has field_id=1 on its column).
run schema "$PQ/binary.parquet"
expect_ok "schema binary.parquet"
grep -qiE 'id[=: ]+1' "$TMP/out" || fail "schema binary.parquet: no field id 1 in: $(head -c 400 "$TMP/out")"

# Every readable corpus file can be described.
while IFS= read -r f; do
  run schema "$f"
  expect_ok "schema $(basename "$f")"
  [ -s "$TMP/out" ] || fail "schema $(basename "$f"): empty output"
done < <(find "$PQ" "$TESTDATA/generated" -name '*.parquet' | sort)

finish
