#!/usr/bin/env bash
# Partition specs from the command line: `create --partition-by` makes a partitioned
# table (spec in the metadata, ids from 1000, Java's default names); a spec that does
# not fit the schema is refused naming the field at fault, with nothing created;
# `alter --partition-by` evolves the spec in one commit (new field ids after
# last-partition-id, equal fields keep theirs, an existing spec becomes the default
# again instead of being added twice, '' makes the table unpartitioned); `describe`
# shows every spec; merging into a partitioned table is still refused.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet # id int, ..., string_col binary, timestamp_col timestamptz

# specs TABLE: every spec of the current metadata, "id:[name/transform/source/field-id ...]",
# then "default=ID last=ID".
specs() {
  "$ICESTREAM" describe --json --warehouse "$WH" "$1" >"$TMP/d.json" 2>"$TMP/d.err" ||
    { echo "describe failed: $(cat "$TMP/d.err")"; return; }
  jget "$TMP/d.json" "' '.join('%d:[%s]' % (s['spec-id'], ' '.join('%s/%s/%d/%d' % (f['name'], f['transform'], f['source-id'], f['field-id']) for f in s['fields'])) for s in d['partition-specs']) + ' default=%d last=%d' % (d['default-spec-id'], d['last-partition-id'])"
}

# Help text names the option.
run create --help
grep -q -- '--partition-by SPEC' "$TMP/out" || fail "create --help lacks --partition-by"
run alter --help
grep -q -- '--partition-by SPEC' "$TMP/out" || fail "alter --help lacks --partition-by"

# create with every default name and an explicit one.
run create --warehouse "$WH" db.t --schema-from "$IN" \
  --partition-by 'bucket(16, id), day(timestamp_col), truncate(4, string_col) AS s4, int_col'
expect_ok "create --partition-by"
expect_eq "spec of the new table" "$(specs db.t)" \
  "0:[id_bucket/bucket[16]/1/1000 timestamp_col_day/day/11/1001 s4/truncate[4]/10/1002 int_col/identity/5/1003] default=0 last=1003"
run describe --warehouse "$WH" db.t
grep -q '^partition field:  id_bucket = bucket\[16\](id) (field id 1000)$' "$TMP/out" ||
  fail "describe text lacks the bucket field: $(grep partition "$TMP/out")"
grep -q '^partition field:  s4 = truncate\[4\](string_col) (field id 1002)$' "$TMP/out" ||
  fail "describe text lacks the truncate field"

# Every default name (a table per transform family).
run create --warehouse "$WH" db.names --schema-from "$IN" \
  --partition-by 'year(timestamp_col), void(bool_col), identity(bigint_col)'
expect_ok "create with year/void/identity"
expect_eq "year, void and identity names" "$(specs db.names)" \
  "0:[timestamp_col_year/year/11/1000 bool_col_null/void/2/1001 bigint_col/identity/6/1002] default=0 last=1002"
run create --warehouse "$WH" db.names2 --schema-from "$IN" --partition-by 'MONTH(timestamp_col) as m'
expect_ok "create with month AS m"
expect_eq "case-insensitive transform and AS" "$(specs db.names2)" "0:[m/month/11/1000] default=0 last=1000"
run create --warehouse "$WH" db.names3 --schema-from "$IN" --partition-by 'hour(timestamp_col)'
expect_ok "create with hour"
expect_eq "hour name" "$(specs db.names3)" "0:[timestamp_col_hour/hour/11/1000] default=0 last=1000"

# Specs that do not fit: refused naming the field, nothing created.
bad() { # DESCRIPTION SPEC PATTERN
  run create --warehouse "$WH" db.bad --schema-from "$IN" --partition-by "$2"
  expect_error "$1" 1 "$3"
}
bad "unknown column" 'day(timestamp_col), bucket(16, nme)' \
  "create db.bad: .*partition spec field 2 'bucket\(16, nme\)': no column 'nme'"
bad "transform does not fit the type" 'day(bool_col)' "field 1 'day\(bool_col\)': .*boolean"
bad "bucket of a double" 'bucket(4, double_col)' "'bucket\(4, double_col\)': .*double"
bad "bad bucket count" 'bucket(0, id)' "'bucket\(0, id\)': expected a number from 1"
bad "duplicate name" 'bucket(4, id) AS p, day(timestamp_col) AS p' "field 2 .*'p' is used twice"
bad "name of another column" 'day(timestamp_col) AS id' "'id' is a column"
bad "redundant time fields" 'day(timestamp_col), hour(timestamp_col)' "field 2 'hour\(timestamp_col\)': redundant"
bad "unknown transform" 'week(timestamp_col)' "unknown transform 'week'"
bad "syntax" 'bucket(16 id)' "field 1 'bucket\(16 id\)': expected ','"
run describe --warehouse "$WH" db.bad
expect_error "refused creates left no table" 1 "db.bad"
[ ! -e "$WH/db/bad" ] || fail "a refused create left files in $WH/db/bad"

# Loads into the table are load_partitioned.sh's, merges load_merge_partitioned.sh's.

# Evolution: one commit, no snapshot; new field ids continue after last-partition-id,
# equal fields keep their ids.
before=$(metadata_of db.t)
run alter --warehouse "$WH" db.t --partition-by 'day(timestamp_col), bucket(16, id), hour(tinyint_col)'
expect_error "evolution is checked like create" 1 "alter db.t: .*'hour\(tinyint_col\)'"
expect_eq "a refused alter commits nothing" "$(metadata_of db.t)" "$before"
run alter --warehouse "$WH" db.t --partition-by 'day(timestamp_col), bucket(16, id), bucket(8, string_col)'
expect_ok "alter --partition-by"
expect_stdout "alter output" "altered table db.t
  metadata: $(metadata_of db.t)"
expect_eq "spec 1 added and default" "$(specs db.t)" \
  "0:[id_bucket/bucket[16]/1/1000 timestamp_col_day/day/11/1001 s4/truncate[4]/10/1002 int_col/identity/5/1003] 1:[timestamp_col_day/day/11/1001 id_bucket/bucket[16]/1/1000 string_col_bucket/bucket[8]/10/1004] default=1 last=1004"
expect_eq "alter adds no snapshot" "$(snapcount db.t)" 0
case "$(metadata_of db.t)" in */metadata/00001-*.metadata.json) ;; *) fail "alter did not write version 1" ;; esac

# The same spec again: nothing committed.
m1=$(metadata_of db.t)
run alter --warehouse "$WH" db.t --partition-by 'day(timestamp_col),bucket(16,id),bucket(8,string_col)'
expect_ok "alter to the current spec"
grep -q 'already has this partition spec; nothing committed' "$TMP/out" || fail "no 'nothing committed' note: $(cat "$TMP/out")"
expect_eq "current spec again commits nothing" "$(metadata_of db.t)" "$m1"

# Unpartitioned again, then back to spec 0: set as default, not added twice.
run alter --warehouse "$WH" db.t --partition-by ''
expect_ok "alter --partition-by ''"
expect_eq "unpartitioned spec added" "$(specs db.t | sed 's/.* 2:/2:/')" "2:[] default=2 last=1004"
run describe --warehouse "$WH" db.t
grep -q '^partitioning:     none$' "$TMP/out" || fail "describe does not say unpartitioned"
grep -q '^partition spec:   2 (default; 3 specs in all)$' "$TMP/out" || fail "describe lacks the spec count"
grep -q '^other spec 1      timestamp_col_day = day(timestamp_col), id_bucket = bucket\[16\](id), string_col_bucket = bucket\[8\](string_col)$' "$TMP/out" ||
  fail "describe lacks the older spec 1: $(grep spec "$TMP/out")"
run alter --warehouse "$WH" db.t --partition-by 'bucket(16, id), day(timestamp_col), truncate(4, string_col) AS s4, int_col'
expect_ok "alter back to spec 0"
expect_eq "spec 0 is the default again, no spec 3" "$(specs db.t | sed 's/.* default=/default=/')" "default=0 last=1004"
jget "$TMP/d.json" "len(d['partition-specs'])" >"$TMP/n"
expect_eq "three specs in all" "$(cat "$TMP/n")" 3

# An unpartitioned table becomes partitioned with ids from 1000; combining with
# property changes is refused.
run create --warehouse "$WH" db.u --schema-from "$IN"
expect_ok "create unpartitioned"
run alter --warehouse "$WH" db.u --partition-by 'truncate(10, id)'
expect_ok "partition an unpartitioned table"
expect_eq "ids from 1000" "$(specs db.u)" "0:[] 1:[id_trunc/truncate[10]/1/1000] default=1 last=1000"
run alter --warehouse "$WH" db.u --partition-by 'id' --set-property a=b
expect_error "partition-by with properties" 2 "its own commit"

# A table Spark wrote: its spec by the current column names (date was renamed event_date).
SPARK=$TESTDATA/iceberg-tables/spark/rename_column
run describe --metadata "$SPARK/metadata/v3.metadata.json" \
  --location-map "s3a://hyperparam-iceberg/spark/rename_column=$SPARK"
expect_ok "describe Spark's partitioned table"
grep -q '^partition field:  id_bucket = bucket\[4\](id) (field id 1000)$' "$TMP/out" ||
  fail "Spark's bucket field: $(grep partition "$TMP/out")"
grep -q '^partition field:  date = identity(event_date) (field id 1001)$' "$TMP/out" ||
  fail "Spark's identity field under the renamed column: $(grep partition "$TMP/out")"

finish
