#!/usr/bin/env bash
# Every write stays inside an allowed root (docs/locations.md): a table whose metadata
# location points outside the warehouse can be read, but a load into it fails naming the
# location and --allow-location, and writes nothing; with --allow-location it works.
# Containment is lexical, so '$WH/../x' and '${WH}2' are outside '$WH'. A location map
# with an empty or relative target is an error.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# relocate TABLE LOCATION: rewrites the table's current metadata file so its location is
# LOCATION (what a registered or hand-edited table looks like).
relocate() {
  local meta
  meta=$(metadata_of "$1")
  python3 - "${meta#file:}" "$2" <<'PY'
import json, sys
path, loc = sys.argv[1], sys.argv[2]
d = json.load(open(path))
d["location"] = loc
json.dump(d, open(path, "w"))
PY
}

# files_under DIR: number of regular files below DIR (0 when it does not exist).
files_under() {
  find "$1" -type f 2>/dev/null | wc -l | tr -d ' '
}

run load --warehouse "$WH" db.t "$IN"
expect_ok "first load"
before=$(files_under "$WH")

# 1. a location outside the warehouse: readable, not writable.
OUT=$TMP/elsewhere
relocate db.t "file:$OUT"
expect_eq "rows readable" "$(rowcount db.t)" 8
run load --warehouse "$WH" db.t "$IN"
expect_error "load into a table located outside" 1 \
  "table db.t: its location file:$OUT is outside the warehouse .*--allow-location $OUT"
[ ! -e "$OUT" ] || fail "refused load created $OUT"
expect_eq "refused load wrote nothing in the warehouse" "$(files_under "$WH")" "$before"
expect_eq "snapshots after refusal" "$(snapcount db.t)" 1

# 2. lexical tricks do not pass as "under the warehouse".
for loc in "file:$WH/../escaped" "file:${WH}2/t" "file://$WH/./db/../../escaped2"; do
  relocate db.t "$loc"
  run load --warehouse "$WH" db.t "$IN"
  expect_error "load into $loc" 1 "is outside the warehouse"
done
[ ! -e "$TMP/escaped" ] && [ ! -e "${WH}2" ] && [ ! -e "$TMP/escaped2" ] ||
  fail "a refused load wrote outside the warehouse"
expect_eq "nothing written by refused loads" "$(files_under "$WH")" "$before"

# 3. --allow-location lets the load write there (and only there).
relocate db.t "file:$OUT"
run load --warehouse "$WH" --allow-location "$TMP/other" db.t "$IN"
expect_error "a different allowed root" 1 "--allow-location $OUT"
run load --json --warehouse "$WH" --allow-location "$OUT" db.t "$IN"
expect_ok "load with --allow-location"
expect_eq "files written under the allowed root" "$(datafiles "$OUT")" 1
[ -n "$(find "$OUT/metadata" -name '*.metadata.json')" ] || fail "no metadata under $OUT"
expect_eq "rows after allowed load" "$(rowcount db.t)" 16
run load --warehouse "$WH" --allow-location "file://$TMP/./x/../elsewhere/" db.t "$IN"
expect_ok "allowed root given as a file: URI with dots"
run load --warehouse "$WH" --allow-location "" db.t "$IN"
expect_error "empty --allow-location" "" "allow-location is empty"
run load --warehouse "$WH" --allow-location gs://bucket/t db.t "$IN"
expect_error "other object-store --allow-location" "" "only local directories, file: and s3://"
run load --help
grep -q -- "--allow-location DIR" "$TMP/out" || fail "load --help lacks --allow-location"
run create --help
grep -q -- "--allow-location DIR" "$TMP/out" || fail "create --help lacks --allow-location"

# 4. a location map with an empty or relative target is an error, not a write to '/'.
for map in 's3a://b/t=' 's3a://b/t=rel/dir' '=/abs' 'no-equals-sign'; do
  ICESTREAM_LOCATION_MAP=$map run scan --warehouse "$WH" db.t
  expect_error "ICESTREAM_LOCATION_MAP=$map" 1 "ICESTREAM_LOCATION_MAP entry"
done
ICESTREAM_LOCATION_MAP="s3a://b/t=$TMP/mapped" run scan --warehouse "$WH" db.t
expect_ok "an absolute map target"

finish
