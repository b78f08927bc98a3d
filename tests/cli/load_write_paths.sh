#!/usr/bin/env bash
# Location properties decide where new files go, as in Java and pyiceberg:
# write.data.path (data files), write.metadata.path (metadata JSON, manifests, manifest
# lists), write.object-storage.enabled (+ .partitioned-paths) hash-prefixed data file
# paths; a namespace's `location` property is the root of its new tables.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# files DIR [NAME-GLOB]: regular files under DIR matching NAME-GLOB, count.
files() {
  find "$1" -type f -name "${2:-*}" 2>/dev/null | wc -l | tr -d ' '
}

# 1. write.data.path and write.metadata.path, on the creating load and on later ones.
DP=$WH/elsewhere/dp-data
MP=$WH/elsewhere/dp-meta
for i in 1 2; do
  run load --warehouse "$WH" --property "write.data.path=file:$DP" \
    --property "write.metadata.path=$MP/" db.dp "$IN"
  expect_ok "load $i with write.data.path and write.metadata.path"
done
expect_eq "data files in write.data.path" "$(files "$DP" '*.parquet')" 2
expect_eq "metadata JSON in write.metadata.path" "$(files "$MP" '*.metadata.json')" 2
expect_eq "manifest lists in write.metadata.path" "$(files "$MP" 'snap-*.avro')" 2
expect_eq "manifests in write.metadata.path" "$(files "$MP" '*-m0.avro')" 2
expect_eq "nothing in the default folders" "$(files "$WH/db/dp")" 0
case "$(metadata_of db.dp)" in
  "file:$MP/00001-"*) ;;
  *) fail "current metadata not in write.metadata.path: $(metadata_of db.dp)" ;;
esac
expect_eq "rows read back through the moved files" "$(rowcount db.dp)" 16

# A relative value is joined to the table location; it may not climb out of it.
run load --warehouse "$WH" --property write.data.path=files/here db.rel "$IN"
expect_ok "relative write.data.path"
expect_eq "relative write.data.path is under the table" \
  "$(files "$WH/db/rel/files/here" '*.parquet')" 1
run load --warehouse "$WH" --property write.metadata.path=../../up db.climb "$IN"
expect_error "a relative path that climbs" 1 "write.metadata.path=\.\./\.\./up"
expect_eq "refused table left nothing" "$(files "$WH/db/climb")$(files "$WH/up")" 00

# 2. Object storage layout: <data>/bbbb/bbbb/bbbb/bbbbbbbb/<name>, the bits being the
# low 20 of murmur3_32(name); with partitioned-paths=false the last part and the name
# are joined by '-'. The hash is recomputed here independently (checked on the spec's
# vectors first).
check_entropy() { # DATA_DIR SEPARATOR
  python3 - "$1" "$2" <<'PY'
import os, sys
def murmur3_32(data):
    c1, c2, h, n = 0xcc9e2d51, 0x1b873593, 0, len(data)
    for i in range(0, n - n % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * c1) & 0xffffffff; k = ((k << 15) | (k >> 17)) & 0xffffffff
        h ^= (k * c2) & 0xffffffff
        h = ((h << 13) | (h >> 19)) & 0xffffffff; h = (h * 5 + 0xe6546b64) & 0xffffffff
    tail = data[n - n % 4:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * c1) & 0xffffffff; k = ((k << 15) | (k >> 17)) & 0xffffffff
        h ^= (k * c2) & 0xffffffff
    h ^= n
    h ^= h >> 16; h = (h * 0x85ebca6b) & 0xffffffff
    h ^= h >> 13; h = (h * 0xc2b2ae35) & 0xffffffff
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h
assert murmur3_32(b"iceberg") == 1210000089 and murmur3_32(b"34") == -427558391
data, sep = sys.argv[1], sys.argv[2]
found = []
for root, _, names in os.walk(data):
    found += [os.path.relpath(os.path.join(root, f), data) for f in names]
if len(found) != 1:
    sys.exit(f"expected one data file under {data}, found {found}")
rel = found[0]
name = rel.split("/")[-1]
if sep == "-":
    name = name[9:]  # after the last 8 bits and '-'
bits = format(murmur3_32(name.encode()) & 0xfffff, "020b")
want = f"{bits[0:4]}/{bits[4:8]}/{bits[8:12]}/{bits[12:20]}{sep}{name}"
if rel != want:
    sys.exit(f"data file at {rel}, expected {want}")
PY
}
run load --warehouse "$WH" --property write.object-storage.enabled=true db.os "$IN"
expect_ok "load with object storage"
check_entropy "$WH/db/os/data" / || fail "object storage path (partitioned paths)"
run load --warehouse "$WH" --property write.object-storage.enabled=TRUE \
  --property write.object-storage.partitioned-paths=false db.osflat "$IN"
expect_ok "load with object storage, partitioned-paths=false"
check_entropy "$WH/db/osflat/data" - || fail "object storage path (no partitioned paths)"
expect_eq "hash-prefixed files read back" "$(rowcount db.os)$(rowcount db.osflat)" 88
run load --warehouse "$WH" --property write.object-storage.enabled=yes db.osbad "$IN"
expect_error "a flag that is neither true nor false" 1 \
  "write.object-storage.enabled=yes: expected true or false"
expect_eq "refused flag left nothing" "$(files "$WH/db/osbad")" 0

# 3. A namespace's location property is the root of its new tables (pyiceberg's
# SqlCatalog layout <namespace location>/<table>).
set_ns_location() { # NAMESPACE VALUE
  python3 - "$WH/catalog.db" "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT OR REPLACE INTO iceberg_namespace_properties VALUES "
           "('default', ?, 'location', ?)", (sys.argv[2], sys.argv[3]))
db.commit()
PY
}
set_ns_location nsl "file:$WH/custom/nsl-root/"
run load --json --warehouse "$WH" nsl.t "$IN"
expect_ok "load into a namespace with a location"
run describe --json --warehouse "$WH" nsl.t
expect_eq "table location under the namespace location" \
  "$(jget "$TMP/out" "d['location']")" "file:$WH/custom/nsl-root/t"
expect_eq "files under the namespace location" \
  "$(files "$WH/custom/nsl-root/t/data" '*.parquet')" 1
expect_eq "nothing at the default place" "$(files "$WH/nsl")" 0
run create --warehouse "$WH" nsl.c --schema-from "$IN"
expect_ok "create in a namespace with a location"
expect_eq "create honours it too" "$(files "$WH/custom/nsl-root/c/metadata" '*.json')" 1
set_ns_location nsr "relative/dir"
run load --warehouse "$WH" nsr.t "$IN"
expect_error "a relative namespace location" 1 \
  "namespace nsr has location 'relative/dir': expected an absolute path or a URI"
finish
