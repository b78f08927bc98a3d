#!/usr/bin/env bash
# Explicit schema changes (`icestream alter --add-column/--rename-column/--drop-column/
# --widen`): metadata-only commits (a new metadata file and schema, no snapshot) that
# keep field ids, so the files already written read back by id: a renamed column keeps
# its values, a dropped one is gone, an added one reads null, a widened one reads
# widened - in `icestream scan`, DuckDB (by field id) and icebird. Refusals name the
# column and change nothing.
source "$(dirname "$0")/lib_schema.bash"

# schema TABLE: the current schema as {id:name:type,...}.
schema() { md "$1" "ty(s, False)"; }

pq a "SELECT * FROM (VALUES (1, 'apple', {'p': 1::INT}, 1.25::DECIMAL(9,2), 10::INT, 0.5::FLOAT),
  (2, 'pear', {'p': 2::INT}, 2.5::DECIMAL(9,2), 20::INT, 1.5::FLOAT)) t(id, name, st, price, qty, f)"
run load --warehouse "$WH" db.t "$D/a.parquet"
expect_ok "create"
expect_eq "schema 0" "$(schema db.t)" "{1:id:int,2:name:string,3:st:{7:p:int},4:price:decimal(9,2),5:qty:int,6:f:float}"

run alter --warehouse "$WH" db.t --add-column note:string --add-column 'st.z:decimal(5,1)'
expect_ok "add columns (top level and nested, one commit)"
expect_eq "added" "$(schema db.t)" "{1:id:int,2:name:string,3:st:{7:p:int,9:z:decimal(5,1)},4:price:decimal(9,2),5:qty:int,6:f:float,8:note:string}"
expect_eq "add: one metadata version, no snapshot" "$(versions t) $(snapcount db.t)" "2 1"
expect_eq "add: ids" "$(md db.t "d['current-schema-id'], d['last-column-id'], [x['schema-id'] for x in d['snapshots']]")" "(1, 9, [0])"
run alter --warehouse "$WH" db.t --rename-column name:label
expect_ok "rename"
run alter --warehouse "$WH" db.t --drop-column qty
expect_ok "drop"
run alter --warehouse "$WH" db.t --widen 'price:decimal(12,2)' --widen f:double --widen id:long
expect_ok "widen"
# the old file read by id: the renamed column keeps its values, qty is gone
expect_eq "old file by id" "$(rows db.t)" '{"id":1,"label":"apple","st":{"p":1,"z":null},"price":"1.25","f":0.5,"note":null}
{"id":2,"label":"pear","st":{"p":2,"z":null},"price":"2.50","f":1.5,"note":null}'
check_evolved "after alters" db.t
run alter --warehouse "$WH" db.t --rename-column st.p:pp
expect_ok "rename a nested field"
expect_eq "final schema" "$(schema db.t)" "{1:id:long,2:label:string,3:st:{7:pp:int,9:z:decimal(5,1)},4:price:decimal(12,2),6:f:double,8:note:string}"
expect_eq "schemas, versions, snapshots" "$(md db.t "len(d['schemas']), d['current-schema-id']") $(versions t) $(snapcount db.t)" "(6, 5) 6 1"
expect_eq "nested rename by id" "$(rows db.t)" '{"id":1,"label":"apple","st":{"pp":1,"z":null},"price":"1.25","f":0.5,"note":null}
{"id":2,"label":"pear","st":{"pp":2,"z":null},"price":"2.50","f":1.5,"note":null}'
check_evolved "after a nested rename" db.t --skip-icebird
# loads of the new shape, and of the old one (its name and qty are new columns now)
pq b "SELECT 3::BIGINT AS id, 'fig' AS label, {'pp': 3::INT, 'z': 0.5::DECIMAL(5,1)} AS st, 'n3' AS note"
run load --warehouse "$WH" db.t "$D/b.parquet"
expect_ok "load of the new shape"
expect_eq "new shape rows" "$(rows db.t | grep '"id":3')" '{"id":3,"label":"fig","st":{"pp":3,"z":"0.5"},"price":null,"f":null,"note":"n3"}'
expect_eq "new shape: no schema change" "$(md db.t "len(d['schemas']), d['snapshots'][-1]['schema-id']")" "(6, 5)"
check_evolved "after a load" db.t --skip-icebird
run alter --warehouse "$WH" db.t --widen f:double
expect_ok "widen to the same type"
expect_stdout "nothing to commit" "table db.t already has this schema; nothing committed
  metadata: $(metadata_of db.t | sed 's/^file://;s/^/file:/')"

# refusals: each names the column, nothing committed
meta=$(metadata_of db.t)
refused() { # WHAT PATTERN ALTER-ARGS...
  local what=$1 pattern=$2
  shift 2
  run alter --warehouse "$WH" "$@"
  expect_error "$what" 1 "$pattern"
  expect_eq "$what: nothing committed" "$(metadata_of "${@: -1}")" "$meta"
}
refused "narrowing" "widen column 'id' from long to int: not a widening" --widen id:int db.t
refused "string to number" "widen column 'label' from string to long" --widen label:long db.t
refused "decimal scale" "widen column 'price' from decimal\(12,2\) to decimal\(14,3\)" --widen 'price:decimal(14,3)' db.t
refused "widen a struct" "widen column 'st': it is a struct" --widen st:long db.t
refused "add existing" "add column 'label': the table already has it" --add-column label:string db.t
refused "add nested type" "'list<int>' is not an Iceberg primitive type" --add-column 'x:list<int>' db.t
refused "add under a primitive" "add column 'label.x': 'label' is not a struct" --add-column label.x:int db.t
refused "rename onto another" "rename column 'label' to 'note': the struct already has 'note'" --rename-column label:note db.t
refused "unknown column" "column 'nope' is not in the table" --drop-column nope db.t
run alter --warehouse "$WH" --add-column justaname db.t
expect_error "bad syntax" 2 "--add-column takes NAME:TYPE"
# a failing change in a list of changes commits none of them
refused "all or nothing" "column 'nope' is not in the table" --add-column ok:int --drop-column nope db.t

# identifier fields and partition sources cannot be dropped
merge db.keyed --merge-key id "$D/a.parquet"
expect_ok "keyed table"
meta=$(metadata_of db.keyed)
refused "drop identifier" "cannot drop column 'id': it is an identifier field" --drop-column id db.keyed
run create --warehouse "$WH" db.part --schema-from "$D/a.parquet" --partition-by 'bucket(4, id), truncate(2, name)'
expect_ok "partitioned table"
meta=$(metadata_of db.part)
refused "drop partition source" "cannot drop column 'name': it is the source of partition field 'name_trunc'" --drop-column name db.part
run alter --warehouse "$WH" db.part --rename-column name:label
expect_ok "rename a partition source (its id stays)"
expect_eq "partition spec still bound" "$(md db.part "[f['source-id'] for f in d['partition-specs'][0]['fields']]")" "[1, 2]"
finish
