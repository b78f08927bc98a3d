#!/usr/bin/env bash
# Schema evolution in the same commit as the data (docs/schema-evolution.md): a load
# whose input has columns the table lacks (top level, inside structs, list elements and
# map values) or wider types commits add-schema + set-current-schema + add-snapshot in
# one metadata version, the snapshot's schema-id being the new schema and the data files
# carrying its field ids; relax and strict; every forbidden change is an error naming
# the column that commits nothing and leaves no file behind. DuckDB and icebird read
# every evolved table as `icestream scan` does.
source "$(dirname "$0")/lib_schema.bash"

# schema TABLE: the current schema as {id:name[!]:type,...} (! = required).
schema() { md "$1" "ty(s)"; }
# snap_schemas TABLE: schema-id of every snapshot, oldest first.
snap_schemas() { md "$1" "' '.join(str(x['schema-id']) for x in d['snapshots'])"; }
# unchanged WHAT TABLE META FILES: a refused load changed nothing.
unchanged() {
  expect_eq "$1: metadata unchanged" "$(metadata_of "db.$2")" "$3"
  expect_eq "$1: no data file left" "$(datafiles "$WH/db/$2")" "$4"
}

# ---- top-level add, then widenings (int -> long, float -> double, decimal precision)
pq a "SELECT 1::INT AS id, 'x' AS s, 1.5::FLOAT AS f, 1.25::DECIMAL(9,2) AS d"
pq b "SELECT 2::BIGINT AS id, 'y' AS s, 2.5::DOUBLE AS f, 2.25::DECIMAL(18,2) AS d, 7::INT AS extra"
run load --warehouse "$WH" db.top "$D/a.parquet"
expect_ok "create top"
expect_eq "top: schema 0" "$(schema db.top)" "{1:id:int,2:s:string,3:f:float,4:d:decimal(9,2)}"
run load --warehouse "$WH" --json db.top "$D/b.parquet"
expect_ok "top: load adding a column and widening three"
expect_eq "top: one metadata version for schema and data" "$(versions top)" 2
expect_eq "top: evolved schema" "$(schema db.top)" "{1:id:long,2:s:string,3:f:double,4:d:decimal(18,2),5:extra:int}"
expect_eq "top: schema ids" "$(md db.top "[x['schema-id'] for x in d['schemas']], d['current-schema-id'], d['last-column-id']")" "([0, 1], 1, 5)"
expect_eq "top: snapshot schema ids" "$(snap_schemas db.top)" "0 1"
expect_eq "top: rows" "$(rows db.top)" '{"id":1,"s":"x","f":1.5,"d":"1.25","extra":null}
{"id":2,"s":"y","f":2.5,"d":"2.25","extra":7}'
# the new data file carries the new field ids (5 for extra)
newest=$(ls -t "$WH"/db/top/data/*.parquet | head -1)
expect_eq "top: field id in the data file" "$(duck "SELECT field_id FROM parquet_schema('$newest') WHERE name = 'extra'")" '{"field_id":"5"}'
check_interop "top" db.top
check_evolved "top" db.top
# an input of the old shape still loads: extra reads null, narrower types are widened
run load --warehouse "$WH" db.top "$D/a.parquet"
expect_ok "top: old-shape input"
expect_eq "top: old-shape input adds no schema" "$(md db.top "len(d['schemas'])")" 2
expect_eq "top: old-shape snapshot schema" "$(snap_schemas db.top)" "0 1 1"

# ---- nested adds: inside a struct, a list element and a map value
pq n1 "SELECT 1 AS id, {'p': 1} AS st, [{'a': 1}] AS l, MAP {'k': {'v': 1}} AS m"
pq n2 "SELECT 2 AS id, {'p': 2, 'q': 'new'} AS st, [{'a': 2, 'b': 'lb'}] AS l,
  MAP {'k': {'v': 2, 'w': 'mw'}} AS m"
pq n3 "SELECT 3 AS id, {'q': 'only q'} AS st"
run load --warehouse "$WH" db.nest "$D/n1.parquet"
expect_ok "create nest"
run load --warehouse "$WH" db.nest "$D/n2.parquet"
expect_ok "nest: nested adds"
expect_eq "nest: schema" "$(schema db.nest)" "{1:id:int,2:st:{5:p:int,11:q:string},3:l:list<6:{7:a:int,12:b:string}>,4:m:map<8:string,9:{10:v:int,13:w:string}>}"
expect_eq "nest: snapshot schema ids" "$(snap_schemas db.nest)" "0 1"
run load --warehouse "$WH" db.nest "$D/n3.parquet"
expect_ok "nest: input lacking nested and top-level columns"
expect_eq "nest: rows" "$(rows db.nest)" '{"id":1,"st":{"p":1,"q":null},"l":[{"a":1,"b":null}],"m":[{"key":"k","value":{"v":1,"w":null}}]}
{"id":2,"st":{"p":2,"q":"new"},"l":[{"a":2,"b":"lb"}],"m":[{"key":"k","value":{"v":2,"w":"mw"}}]}
{"id":3,"st":{"p":null,"q":"only q"},"l":null,"m":null}'
check_evolved "nest" db.nest

# ---- replace and several inputs: the union of all inputs in one commit
pq r1 "SELECT 10 AS id, 'r' AS s"
pq r2 "SELECT 11 AS id, 'q' AS s, true AS flag"
run load --warehouse "$WH" --mode replace db.top "$D/r1.parquet" "$D/r2.parquet"
expect_ok "replace with two inputs, one adding a column"
expect_eq "replace: schema" "$(schema db.top)" "{1:id:long,2:s:string,3:f:double,4:d:decimal(18,2),5:extra:int,6:flag:boolean}"
expect_eq "replace: rows" "$(rows db.top)" '{"id":10,"s":"r","f":null,"d":null,"extra":null,"flag":null}
{"id":11,"s":"q","f":null,"d":null,"extra":null,"flag":true}'
expect_eq "replace: snapshot schema ids" "$(snap_schemas db.top)" "0 1 1 2"
check_interop "replace" db.top

# ---- strict: any difference is an error naming the column; nothing committed
meta=$(metadata_of db.top)
files=$(datafiles "$WH/db/top")
pq s1 "SELECT 1 AS id, 'x' AS s, 3 AS newcol"
run load --warehouse "$WH" --schema-evolution strict db.top "$D/s1.parquet"
expect_error "strict: new column" 1 "column 'newcol' is not in the table.*strict"
unchanged "strict: new column" top "$meta" "$files"
pq s2 "SELECT 1::INT AS id, 2.0::DOUBLE AS f, 1::INT AS extra, 1::BIGINT AS flag_x"
pq s3 "SELECT 1::DECIMAL(20,2) AS d"
run load --warehouse "$WH" --schema-evolution strict db.top "$D/s3.parquet"
expect_error "strict: widening" 1 "column 'd': table type decimal\(18,2\), input type decimal\(20,2\).*strict"
unchanged "strict: widening" top "$meta" "$files"
pq s4 "SELECT 5::INT AS id, 1::INT AS extra"
run load --warehouse "$WH" --schema-evolution strict db.top "$D/s4.parquet"
expect_ok "strict: narrower input and fewer columns load"
expect_eq "strict: schema unchanged" "$(md db.top "len(d['schemas'])")" 3

# ---- required columns (Impala's all-required fixture, nested too): an error in add,
# optional with relax, only where the input needs it
REQ=$PQ/nonnullable.impala.parquet
run load --warehouse "$WH" db.req "$REQ"
expect_ok "create req (required columns)"
req_count() { md db.req "sum(f['required'] for f in s['fields']), [f['required'] for f in s['fields'][5]['type']['fields']], s['fields'][1]['type']['element-required']"; }
expect_eq "req: required" "$(req_count)" "(6, [True, True, True, True], True)"
pq q1 "SELECT 9::BIGINT AS \"ID\", [1, NULL]::INT[] AS \"Int_Array\", {'a': 5} AS \"nested_Struct\""
meta=$(metadata_of db.req)
files=$(datafiles "$WH/db/req")
run load --warehouse "$WH" db.req "$D/q1.parquet"
expect_error "add: required column declared optional" 1 "column 'ID' is required by the table but the input declares it optional.*relax"
unchanged "add: required column" req "$meta" "$files"
run load --warehouse "$WH" --schema-evolution relax db.req "$D/q1.parquet"
expect_ok "relax"
expect_eq "relax: optional where the input needs it" "$(req_count)" "(0, [False, False, False, False], False)"
expect_eq "relax: inside an absent struct stays required" "$(md db.req "s['fields'][5]['type']['fields'][2]['type']['fields'][0]['required']")" True
expect_eq "relax: same field ids" "$(md db.req "d['last-column-id'], len(d['schemas'])")" "(29, 2)"
expect_eq "relax: snapshot schema ids" "$(snap_schemas db.req)" "0 1"
expect_eq "relax: rows" "$(rows db.req)" '{"ID":8,"Int_Array":[-1],"int_array_array":[[-1,-2],[]],"Int_Map":[{"key":"k1","value":-1}],"int_map_array":[[],[{"key":"k1","value":1}],[],[]],"nested_Struct":{"a":-1,"B":[-1],"c":{"D":[[{"e":-1,"f":"nonnullable"}]]},"G":[]}}
{"ID":9,"Int_Array":[1,null],"int_array_array":null,"Int_Map":null,"int_map_array":null,"nested_Struct":{"a":5,"B":null,"c":null,"G":null}}'
check_evolved "relax" db.req
# a new column the input declares required: refused by add, optional with relax
# (not "id": DuckDB, case-insensitive, would read it and "ID" as one column)
pq r0 "SELECT 10 AS k, 'r' AS s"
run load --warehouse "$WH" db.newreq "$D/r0.parquet"
expect_ok "create newreq"
meta=$(metadata_of db.newreq)
files=$(datafiles "$WH/db/newreq")
run load --warehouse "$WH" db.newreq "$REQ"
expect_error "add: new required column" 1 "column 'ID' is new and declared required"
unchanged "add: new required column" newreq "$meta" "$files"
run load --warehouse "$WH" --schema-evolution relax db.newreq "$REQ"
expect_ok "relax: new required columns added as optional"
expect_eq "relax: added optional" "$(md db.newreq "(len(s['fields']), sum(f['required'] for f in s['fields']))")" "(8, 0)"
# icebird 0.3.1's bundled hyparquet 1.19 drops nested_Struct from this file (hyparquet
# 1.31.5, DuckDB and icestream read it), so only DuckDB checks it
check_evolved "relax: new columns" db.newreq --skip-icebird

# ---- never allowed, whatever the mode: error naming the column and both types
pq base "SELECT 1::BIGINT AS id, 'x' AS s, {'p': 1} AS st, [1, 2] AS l, MAP {'k': 1} AS m, 1.5::DECIMAL(10,2) AS d"
run load --warehouse "$WH" db.bad "$D/base.parquet"
expect_ok "create bad"
meta=$(metadata_of db.bad)
files=$(datafiles "$WH/db/bad")
forbidden() { # NAME SELECT PATTERN
  pq "$1" "$2"
  for mode in add relax; do
    run load --warehouse "$WH" --schema-evolution $mode db.bad "$D/$1.parquet"
    expect_error "forbidden $1 ($mode)" 1 "$3"
    unchanged "forbidden $1 ($mode)" bad "$meta" "$files"
  done
}
forbidden str_to_num "SELECT 1::BIGINT AS id, 5 AS s" "column 's': table type string, input type int"
forbidden num_to_str "SELECT 'one' AS id" "column 'id': table type long, input type string"
forbidden struct_prim "SELECT 1::BIGINT AS id, 3 AS st" "column 'st': table type struct, input type int"
forbidden prim_struct "SELECT {'z': 1} AS s" "column 's': table type string, input type struct"
forbidden list_elem "SELECT ['a'] AS l" "column 'l.element': table type int, input type string"
forbidden map_key "SELECT MAP {1: 1} AS m" "column 'm.key': table type string, input type int"
forbidden narrowing "SELECT 1.5::DECIMAL(10,3) AS d" "column 'd': table type decimal\(10,2\), input type decimal\(10,3\)"
forbidden double_to_long "SELECT 1.5::DOUBLE AS id" "column 'id': table type long, input type double"
expect_eq "forbidden: one snapshot" "$(snapcount db.bad)" 1

run load --warehouse "$WH" --schema-evolution loose db.bad "$D/base.parquet"
expect_error "unknown mode" 2 "--schema-evolution must be add, relax or strict, not 'loose'"
finish
