#!/usr/bin/env bash
# Bad input to icestream load: a clear one-line error naming the file (and column), and
# nothing committed: same metadata, same snapshots, no data file left behind. Every
# input is validated before any data is written, so a bad file listed last still
# leaves no trace.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
G=$TESTDATA/generated
TD=$WH/db/t

run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_ok "setup load"
meta=$(metadata_of db.t)
files=$(datafiles "$TD")

unchanged() {
  expect_eq "$1: metadata unchanged" "$(metadata_of db.t)" "$meta"
  expect_eq "$1: snapshots unchanged" "$(snapcount db.t)" 1
  expect_eq "$1: no new data files" "$(datafiles "$TD")" "$files"
}

run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet" "$TMP/missing.parquet"
expect_error "missing file" 1 "missing.parquet"
unchanged "missing file"

echo "this is not a parquet file" >"$TMP/text.parquet"
run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet" "$TMP/text.parquet"
expect_error "not parquet" 1 "text.parquet.*not a parquet file"
unchanged "not parquet"

size=$(stat -c %s "$P/alltypes_plain.parquet")
head -c $((size - 100)) "$P/alltypes_plain.parquet" >"$TMP/truncated.parquet"
run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet" "$TMP/truncated.parquet"
expect_error "truncated footer" 1 "truncated.parquet"
unchanged "truncated footer"

run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet" "$P/uniform_encryption.parquet.encrypted"
expect_error "encrypted file" 1 "uniform_encryption"
unchanged "encrypted file"

# a type the table would have to widen, refused by strict: id is int there, long here
run load --warehouse "$WH" --schema-evolution strict db.t "$P/alltypes_plain.parquet" \
  "$G/types_uncompressed.parquet"
expect_error "incompatible type" 1 "types_uncompressed.parquet: column 'id': table type int, input type long.*strict"
unchanged "incompatible type"
# a type that cannot be stored in a column the table has: named with both Arrow types
run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet" "$P/nulls.snappy.parquet" \
  "$G/types_uncompressed.parquet"
expect_error "unstorable new column" 1 "types_uncompressed.parquet: column 'tsns'.*format-version 3"
unchanged "unstorable new column"

# a column the table lacks, refused by strict (the default adds it)
run load --warehouse "$WH" --schema-evolution strict db.t "$P/nulls.snappy.parquet"
expect_error "new column" 1 "nulls.snappy.parquet: column 'b_struct'.*schema-evolution strict"
unchanged "new column"

# unstorable type for a new table: nanosecond timestamps on v2 (message says what to do)
run load --warehouse "$WH" db.ns "$G/types_uncompressed.parquet"
expect_error "ns timestamps" 1 "column 'tsns'.*format-version 3.*(CAST|microseconds)"
# two inputs with incompatible schemas for a new table: nothing created
run load --warehouse "$WH" --schema-evolution strict db.mixed "$P/alltypes_plain.parquet" \
  "$G/types_uncompressed.parquet"
expect_error "incompatible inputs" 1 "types_uncompressed.parquet: column 'id'"
run tables --warehouse "$WH"
expect_stdout "no table created by failed loads" "db.t"
[ -d "$WH/db/ns/data" ] && fail "data folder made for a rejected table"
[ -d "$WH/db/mixed/data" ] && fail "data folder made for a rejected table"

# a footer that parses but pages that do not (CRC mismatch): found while writing, so the
# data files written so far are deleted and the new table is never created
run load --warehouse "$WH" db.crc "$P/datapage_v1-corrupt-checksum.parquet"
expect_error "corrupt page" 1 "datapage_v1-corrupt-checksum.parquet.*row group 0"
[ "$(grep -o 'datapage_v1-corrupt-checksum.parquet' "$TMP/err" | wc -l)" -eq 1 ] ||
  fail "file named more than once: $(cat "$TMP/err")"
[ "$(datafiles "$WH/db/crc")" = 0 ] || fail "data files left by a failed load"
run tables --warehouse "$WH"
expect_stdout "no table from a load that failed mid-way" "db.t"

# bad property values fail before anything is written
run load --warehouse "$WH" --property format-version=3 db.v3 "$P/alltypes_plain.parquet"
expect_error "format-version 3" 1 "format-version"
run load --warehouse "$WH" --property commit.retry.num-retries=lots db.badprop "$P/alltypes_plain.parquet"
expect_error "bad retry property" 1 "commit.retry.num-retries"
run load --warehouse "$WH" --property write.parquet.compression-codec=zip db.badprop "$P/alltypes_plain.parquet"
expect_error "bad codec property" 1 "compression-codec"
run tables --warehouse "$WH"
expect_stdout "no table created with bad properties" "db.t"
# the table still loads normally afterwards
run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_ok "load after failures"
expect_eq "rows after failures" "$(rowcount db.t)" 16
finish
