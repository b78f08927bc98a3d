#!/usr/bin/env bash
# Reading a table from its metadata file alone (`--metadata FILE`, no catalog) with
# scan, describe and snapshots: Spark's bunnies with its s3a:// locations mapped by
# ICESTREAM_LOCATION_MAP or --location-map; time travel across its position delete; a relative FILE; and
# the usage errors (TABLE and --metadata together, neither) and a missing file.
source "$(dirname "$0")/lib_cli.bash"
T=$TESTDATA/iceberg-tables/spark/bunnies
export ICESTREAM_LOCATION_MAP="s3a://hyperparam-iceberg/spark/bunnies=$T"
META=$T/metadata/v5.metadata.json

run describe --metadata "$META" --json
expect_ok "describe --metadata"
grep -q '"metadata-location": "'"$META"'"' "$TMP/out" || fail "describe: no metadata-location: $(head -c 300 "$TMP/out")"
grep -q '"table": null' "$TMP/out" || fail "describe: a table name without a catalog"
run describe --metadata "$META"
expect_ok "describe --metadata (text)"
grep -q "current snapshot: 2701171901096418979" "$TMP/out" || fail "describe text: $(head -c 300 "$TMP/out")"

run snapshots --metadata "$META" --json
expect_ok "snapshots --metadata"
[ "$(grep -c '"snapshot-id"' "$TMP/out")" -eq 3 ] || fail "snapshots: not 3: $(head -c 300 "$TMP/out")"

# snapshot 1: 21 rows; 2: its position delete removes one; 3: the file is rewritten
# (20 rows, seq 3) and the old delete (seq 2) must not apply to the new file.
for s in 7505300640432048841:21 469881615898633426:20 2701171901096418979:20; do
  run scan --metadata "$META" --snapshot "${s%%:*}"
  expect_ok "scan --snapshot ${s%%:*}"
  [ "$(wc -l <"$TMP/out")" -eq "${s##*:}" ] || fail "snapshot ${s%%:*}: $(wc -l <"$TMP/out") rows, want ${s##*:}"
done
run scan --metadata "$META" --snapshot 469881615898633426 --columns "Breed Name"
grep -q '"Holland Lop"' "$TMP/out" && fail "the position-deleted row (Holland Lop) is still there"
run scan --metadata "$META" --snapshot 7505300640432048841 --columns "Breed Name"
grep -q '"Holland Lop"' "$TMP/out" || fail "Holland Lop missing before its delete"

(cd "$T/metadata" && "$ICESTREAM" scan --metadata v5.metadata.json --limit 2 >"$TMP/rel" 2>"$TMP/relerr")
[ "$(wc -l <"$TMP/rel")" -eq 2 ] || fail "relative --metadata: $(cat "$TMP/relerr")"

# --location-map instead of the variable (which it replaces)
ICESTREAM_LOCATION_MAP=s3a://nothing=/nonexistent run scan --metadata "$META" \
  --location-map "s3a://hyperparam-iceberg/spark/bunnies=$T" --columns "Breed Name"
expect_ok "scan --metadata --location-map"
[ "$(wc -l <"$TMP/out")" -eq 20 ] || fail "--location-map: $(wc -l <"$TMP/out") rows"
run describe --metadata "$META" --location-map "no-equals-sign"
expect_error "bad --location-map" 2 "location-map"

# Through a catalog the same table reads the same rows (Java's, with both kinds of
# deletes): register it, scan TABLE, compare with --metadata.
J=$TESTDATA/iceberg-tables/java/bunnies
JMAP="s3a://hyperparam-iceberg/java/bunnies=$J"
run register --warehouse "$TMP/wh" --location-map "$JMAP" java.bunnies \
  "s3a://hyperparam-iceberg/java/bunnies/metadata/v5.metadata.json"
expect_ok "register java bunnies"
run scan --warehouse "$TMP/wh" --location-map "$JMAP" java.bunnies
expect_ok "scan java.bunnies through the catalog"
cp "$TMP/out" "$TMP/via_catalog.jsonl"
run scan --metadata "$J/metadata/v5.metadata.json" --location-map "$JMAP"
expect_ok "scan java bunnies --metadata"
cmp -s "$TMP/out" "$TMP/via_catalog.jsonl" || fail "catalog and --metadata scans differ"
[ "$(wc -l <"$TMP/out")" -lt 21 ] || fail "java bunnies: deletes not applied ($(wc -l <"$TMP/out") rows)"

run scan --metadata "$META" --memory-limit 512K
expect_error "scan --memory-limit below 1M" 2 "minimum"
run scan --metadata "$META" --memory-limit lots
expect_error "scan --memory-limit not a size" 2 "not a size"
run scan --metadata "$META" --memory-limit 2M
expect_ok "scan --memory-limit 2M"

run scan --metadata "$META" db.t
expect_error "TABLE and --metadata" 2 "not both"
run scan
expect_error "neither TABLE nor --metadata" 2 "missing TABLE"
run describe --metadata "$TMP/none.metadata.json"
expect_error "missing metadata file" 1 "none.metadata.json"
finish
