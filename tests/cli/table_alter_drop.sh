#!/usr/bin/env bash
# `alter` and `drop` are plain transactions through the public API: alter sets and
# unsets properties in one commit (visible in describe; a missing key is ignored; the
# creation checks and the reserved format-version apply; no snapshot is added); drop
# removes the row, and --purge deletes every file under the table's location and
# nothing else, refusing a table located outside the warehouse and allowed roots.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# prop TABLE KEY: KEY of the table's properties ("-" when absent).
prop() {
  "$ICESTREAM" describe --json --warehouse "$WH" "$1" >"$TMP/d.json" 2>"$TMP/d.err" ||
    { echo "describe failed: $(cat "$TMP/d.err")"; return; }
  jget "$TMP/d.json" "d['properties'].get('$2', '-')"
}

run load --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
before=$(metadata_of db.t)

run alter --warehouse "$WH" db.t --set-property owner=etl --set-property 'note=a=b'
expect_ok "alter --set-property"
expect_eq "owner set" "$(prop db.t owner)" etl
expect_eq "a value may hold '='" "$(prop db.t note)" "a=b"
expect_eq "alter adds no snapshot" "$(snapcount db.t)" 1
after=$(metadata_of db.t)
[ "$after" != "$before" ] || fail "alter did not move the metadata pointer"
case "$after" in */metadata/00001-*.metadata.json) ;; *) fail "alter wrote $after, not version 1" ;; esac

run alter --warehouse "$WH" db.t --unset-property owner --unset-property no.such.key
expect_ok "alter --unset-property (one key missing)"
expect_eq "owner removed" "$(prop db.t owner)" -
expect_eq "other properties kept" "$(prop db.t note)" "a=b"

run alter --warehouse "$WH" db.t --set-property write.parquet.compression-codec=bogus
expect_error "a bad writer property" 1 "alter db.t: .*write.parquet.compression-codec"
run alter --warehouse "$WH" db.t --set-property format-version=3
expect_error "format-version is reserved" 1 "alter db.t: format-version is reserved"
run alter --warehouse "$WH" db.t --set-property commit.retry.num-retries=x
expect_error "a bad retry property" 1 "commit.retry.num-retries"
expect_eq "refused alters changed nothing" "$(prop db.t write.parquet.compression-codec)" zstd
run alter --warehouse "$WH" db.t --set-property novalue
expect_error "K=V expected" 2 "--set-property expects KEY=VALUE"
run alter --warehouse "$WH" db.t
expect_error "nothing to change" 2 "nothing to change"
run alter --warehouse "$WH" db.missing --set-property a=b
expect_error "alter of a missing table" 1 "db.missing does not exist"

# The table's rows still load and scan after alters.
run load --warehouse "$WH" db.t "$IN"
expect_ok "load after alter"
expect_eq "rows after alter + load" "$(rowcount db.t)" 16
expect_eq "properties survive a load" "$(prop db.t note)" "a=b"

# drop keeps the files; register adopts them again.
run load --warehouse "$WH" db.keep "$IN"
expect_ok "setup db.keep"
keep_meta=$(metadata_of db.keep)
run drop --warehouse "$WH" db.keep
expect_ok "drop"
run tables --warehouse "$WH"
expect_stdout "dropped table gone from the catalog" "db.t"
[ -n "$(find "$WH/db/keep" -type f)" ] || fail "drop without --purge deleted files"
run drop --warehouse "$WH" db.keep
expect_error "drop of a missing table" 1 "db.keep does not exist"

# drop --purge deletes every file under the location, and nothing of db.t next to it.
run register --warehouse "$WH" db.keep "$keep_meta"
expect_ok "register again"
t_files=$(find "$WH/db/t" -type f | sort)
run drop --warehouse "$WH" db.keep --purge
expect_ok "drop --purge"
expect_eq "purge leaves no file" "$(find "$WH/db/keep" -type f | wc -l | tr -d ' ')" 0
expect_eq "purge touched no other table" "$(find "$WH/db/t" -type f | sort)" "$t_files"
[ -f "$WH/catalog.db" ] || fail "purge removed the catalog"

# A table located outside this warehouse (registered from another one) is refused for
# purge, and stays in the catalog with its files.
OTHER=$TMP/other
"$ICESTREAM" load --warehouse "$OTHER" db.far "$IN" >/dev/null 2>&1 || fail "setup other warehouse"
far_meta=$(find "$OTHER/db/far/metadata" -name '*.metadata.json' | head -1)
run register --warehouse "$WH" db.far "$far_meta"
expect_ok "register a table of another warehouse"
far_files=$(find "$OTHER" -type f | sort)
run drop --warehouse "$WH" db.far --purge
expect_error "purge of a table outside the allowed roots" 1 "drop db.far: .*$OTHER"
expect_eq "refused purge deleted nothing" "$(find "$OTHER" -type f | sort)" "$far_files"
run tables --warehouse "$WH"
expect_stdout "refused purge kept the row" "db.far
db.t"

# A table whose metadata says it is located at the warehouse itself is never purged.
python3 - "$(metadata_of db.t | sed 's|^file:||')" "$WH/wide.metadata.json" "file:$WH" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["location"] = sys.argv[3]
json.dump(d, open(sys.argv[2], "w"))
PY
run register --warehouse "$WH" db.wide "$WH/wide.metadata.json"
expect_ok "register a table located at the warehouse"
all_files=$(find "$WH" -type f | sort)
run drop --warehouse "$WH" db.wide --purge
expect_error "purge of the warehouse" 1 "drop db.wide: .*holds the warehouse"
expect_eq "refused purge of the warehouse deleted nothing" "$(find "$WH" -type f | sort)" \
  "$all_files"

run drop --help
expect_ok "drop --help"
grep -q -- "--purge" "$TMP/out" || fail "drop --help does not mention --purge"
run alter --help
expect_ok "alter --help"
grep -q -- "--unset-property" "$TMP/out" || fail "alter --help does not mention --unset-property"
finish
