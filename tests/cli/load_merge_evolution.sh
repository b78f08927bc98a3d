#!/usr/bin/env bash
# Merge after schema evolution (pyiceberg #3105): an upsert whose input adds a column
# updates the stored rows it matches in the same commit that adds the column, copy-on-
# write and merge-on-read: one new snapshot whose schema-id is the new schema, updated
# rows carry the new value, untouched rows read null; a widening and a nested add in a
# merge the same way; the next merge of the old shape still works.
source "$(dirname "$0")/lib_schema.bash"

pq a "SELECT * FROM (VALUES (1::INT,'apple'),(2::INT,'pear'),(3::INT,'plum')) t(id,name)"
pq b "SELECT * FROM (VALUES (2::INT,'pear',20::INT),(3::INT,'PLUM',30::INT),(4::INT,'fig',40::INT)) t(id,name,qty)"
pq c "SELECT * FROM (VALUES (1::INT,'apple',10::BIGINT),(5::INT,'lime',NULL::BIGINT)) t(id,name,qty)"
pq e "SELECT * FROM (VALUES (6::INT,'kiwi')) t(id,name)"

for mode in copy-on-write merge-on-read; do
  t=db.evo_${mode//-/_}
  set_props "$mode"
  merge "$t" --merge-key id "${props[@]}" "$D/a.parquet"
  expect_ok "$mode: create"
  merge "$t" "$D/b.parquet"
  expect_ok "$mode: upsert adding a column"
  expect_eq "$mode: counters" "$(counters)" "1 2 0 0"
  expect_eq "$mode: one snapshot for schema and rows" "$(snapcount "$t")" 2
  expect_eq "$mode: schema" "$(md "$t" "[(f['id'], f['name'], f['type']) for f in s['fields']], d['current-schema-id'], [x['schema-id'] for x in d['snapshots']]")" \
    "([(1, 'id', 'int'), (2, 'name', 'string'), (3, 'qty', 'int')], 1, [0, 1])"
  expect_eq "$mode: identifier kept" "$(md "$t" "s['identifier-field-ids']")" "[1]"
  expect_eq "$mode: rows" "$(rows "$t")" '{"id":1,"name":"apple","qty":null}
{"id":2,"name":"pear","qty":20}
{"id":3,"name":"PLUM","qty":30}
{"id":4,"name":"fig","qty":40}'
  check_interop "$mode: after add" "$t"
  # a widening (qty int -> long) in a merge: updated row 1, inserted 5
  merge "$t" "$D/c.parquet"
  expect_ok "$mode: upsert widening a column"
  expect_eq "$mode: widening counters" "$(counters)" "1 1 0 0"
  expect_eq "$mode: widened" "$(md "$t" "s['fields'][2]['type'], len(d['schemas']), d['snapshots'][-1]['schema-id']")" "('long', 3, 2)"
  expect_eq "$mode: widened rows" "$(rows "$t")" '{"id":1,"name":"apple","qty":10}
{"id":2,"name":"pear","qty":20}
{"id":3,"name":"PLUM","qty":30}
{"id":4,"name":"fig","qty":40}
{"id":5,"name":"lime","qty":null}'
  check_interop "$mode: after widening" "$t"
  # the old shape (no qty): inserted row reads null, nothing else changes
  merge "$t" "$D/e.parquet"
  expect_ok "$mode: old shape"
  expect_eq "$mode: old shape counters" "$(counters)" "1 0 0 0"
  expect_eq "$mode: old shape adds no schema" "$(md "$t" "len(d['schemas'])")" 3
  expect_eq "$mode: snapshots" "$(snapcount "$t")" 4
done

# strict refuses the new column and commits nothing
merge db.evo_copy_on_write --schema-evolution strict "$D/b.parquet"
expect_ok "strict: input whose columns the table has"
pq f "SELECT 7::INT AS id, 'x' AS name, 'n' AS note"
merge db.evo_copy_on_write --schema-evolution strict "$D/f.parquet"
expect_error "strict: new column in a merge" 1 "column 'note' is not in the table"
expect_eq "strict: nothing committed" "$(snapcount db.evo_copy_on_write)" 4
finish
