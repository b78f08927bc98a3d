#!/usr/bin/env bash
# --location-map PREFIX=DIR: a table whose metadata points at a location that does not
# exist here (a copy of Spark's s3a://hyperparam-iceberg/spark/bunnies from tests/data)
# is registered, described, scanned and loaded into through a local copy; without the
# map the s3a: location fails naming the scheme; ICESTREAM_LOCATION_MAP is the fallback
# when no option is given (the option wins over it); bad values are usage errors (exit
# 2) on every table command; every table command's --help shows the option.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

PREFIX=s3a://hyperparam-iceberg/spark/bunnies
COPY=$TMP/copy/bunnies
mkdir -p "$TMP/copy" && cp -r "$TESTDATA/iceberg-tables/spark/bunnies" "$COPY"
MAP="$PREFIX=$COPY"
META=$PREFIX/metadata/v2.metadata.json
# v2's snapshot has no delete files; one of its data files is the input later.
INPUT=$TMP/input.parquet
cp "$COPY/data/00000-1-9acc37f2-90ae-42f5-915c-a21c3cb99690-00001.parquet" "$INPUT"

# scan_rows ARGS...: rows `icestream scan ARGS` prints (x when it fails).
scan_rows() {
  "$ICESTREAM" scan --warehouse "$WH" "$@" >"$TMP/rows" 2>"$TMP/scan.err" || { echo x; return; }
  wc -l <"$TMP/rows" | tr -d ' '
}

# 1. without a map the location is in S3, which needs credentials; the error says so
# and points at the map.
run register --warehouse "$WH" spark.bunnies "$META"
expect_error "register an s3a: table without a map" 1 "s3a://.*no credentials.*--location-map"

# 2. with the map: register, describe, snapshots, tables, scan.
run register --warehouse "$WH" --location-map "$MAP" spark.bunnies "$META"
expect_ok "register through --location-map"
run describe --json --warehouse "$WH" --location-map "$MAP" spark.bunnies
expect_ok "describe through --location-map"
expect_eq "location as the metadata says" "$(jget "$TMP/out" "d['location']")" "$PREFIX"
run snapshots --json --warehouse "$WH" --location-map="$MAP" spark.bunnies
expect_ok "snapshots through --location-map"
run tables --warehouse "$WH" --location-map "$MAP"
expect_ok "tables with --location-map"
grep -q '^spark.bunnies$' "$TMP/out" || fail "tables lacks spark.bunnies: $(cat "$TMP/out")"
before=$(scan_rows --location-map "$MAP" spark.bunnies)
[ "$before" != x ] && [ "$before" -gt 0 ] || fail "scan through the map: $(cat "$TMP/scan.err")"
run describe --warehouse "$WH" spark.bunnies
expect_error "describe without the map" 1 "s3a://hyperparam-iceberg/spark/bunnies/metadata/v2.metadata.json: s3: no credentials"

# 3. the option wins over the variable; the variable alone is the fallback.
expect_eq "the map option over a wrong variable" \
  "$(ICESTREAM_LOCATION_MAP="$PREFIX=$TMP/nowhere" scan_rows --location-map "$MAP" spark.bunnies)" "$before"
expect_eq "ICESTREAM_LOCATION_MAP alone" "$(ICESTREAM_LOCATION_MAP="$MAP" scan_rows spark.bunnies)" "$before"
expect_eq "the first matching entry wins" \
  "$(scan_rows --location-map "$MAP" --location-map "s3a://hyperparam-iceberg=$TMP/nowhere" spark.bunnies)" "$before"

# 4. a load into the mapped table: refused until the folder is an allowed root (nothing
# written), then written into the local copy, with s3a: locations in the new metadata.
find "$COPY" | sort >"$TMP/files.before"
run load --warehouse "$WH" --location-map "$MAP" spark.bunnies "$INPUT"
expect_error "load into the mapped table outside every root" 1 "outside the warehouse"
find "$COPY" | sort | cmp -s - "$TMP/files.before" || fail "a refused load wrote into $COPY"
run load --json --warehouse "$WH" --location-map "$MAP" --allow-location "$COPY" spark.bunnies "$INPUT"
expect_ok "load into the mapped table"
case "$(jget "$TMP/out" "d['metadata_location']")" in
  "$PREFIX"/metadata/*.metadata.json) ;;
  *) fail "metadata location after the load: $(cat "$TMP/out")" ;;
esac
[ "$(find "$COPY/data" -name '*.parquet' | wc -l)" -eq 4 ] || fail "no new data file in $COPY/data"
expect_eq "rows after the load" "$(scan_rows --location-map "$MAP" spark.bunnies)" $((2 * before))
[ -z "$(find "$WH" -name '*.parquet')" ] || fail "the load wrote data into the warehouse"

# 4b. a load into a mapped table that fails after writing its data file (the current
# manifest list is gone from the copy) deletes what it wrote there, through the map.
COPY2=$TMP/copy2/bunnies
mkdir -p "$TMP/copy2" && cp -r "$TESTDATA/iceberg-tables/spark/bunnies" "$COPY2"
run register --warehouse "$WH" --location-map "$PREFIX=$COPY2" spark.b2 "$META"
expect_ok "register the second copy"
rm "$COPY2"/metadata/snap-7505300640432048841-*.avro
find "$COPY2" | sort >"$TMP/files2.before"
run load --warehouse "$WH" --location-map "$PREFIX=$COPY2" --allow-location "$COPY2" spark.b2 "$INPUT"
expect_error "load over a missing manifest list" 1 "manifest list $PREFIX/metadata/snap-7505300640432048841-.*: cannot open: .*\\(local file $COPY2/metadata/snap-"
find "$COPY2" | sort | cmp -s - "$TMP/files2.before" ||
  fail "a failed load left files in the mapped copy: $(find "$COPY2" | sort | comm -13 "$TMP/files2.before" -)"

# 5. bad values are usage errors on every table command, before anything is created.
for bad in '' 'no-equals-sign' '=/abs' 's3a://b/t=' 's3a://b/t=rel/dir'; do
  for cmd in "tables" "describe spark.bunnies" "snapshots spark.bunnies" "scan spark.bunnies" \
             "load spark.x $INPUT" "create spark.y --schema-from $INPUT" "register spark.z $META"; do
    # shellcheck disable=SC2086
    run $cmd --warehouse "$TMP/wh2" --location-map "$bad"
    expect_error "$cmd --location-map '$bad'" 2 "location-map entry"
  done
done
[ ! -e "$TMP/wh2" ] || fail "a refused --location-map created the warehouse"
# A bad variable is not the command line: exit 1, naming the variable.
ICESTREAM_LOCATION_MAP='s3a://b/t=rel' run scan --warehouse "$WH" spark.bunnies
expect_error "bad ICESTREAM_LOCATION_MAP" 1 "ICESTREAM_LOCATION_MAP entry 's3a://b/t=rel'"

# 6. --help of every table command names the option.
for cmd in load create register describe snapshots scan tables; do
  run "$cmd" --help
  grep -q -- "--location-map PREFIX=DIR" "$TMP/out" || fail "$cmd --help lacks --location-map"
done

finish
