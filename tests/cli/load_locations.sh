#!/usr/bin/env bash
# Table locations are literal (docs/locations.md): percent escapes in table names and
# warehouse paths are never decoded into paths, so nothing escapes the warehouse and
# 'x%41y' is not 'xAy'; '#', '?' and control characters, which a file: URI cannot
# carry, are refused in names and warehouse paths before anything is written.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

# files_outside DIR: regular files under $TMP that are not under DIR (nor scratch output).
files_outside() {
  find "$TMP" -type f ! -path "$1/*" ! -name out ! -name err ! -name '*.json' \
    ! -name '*.err' | head -5
}

# 1. '%2e%2e' as a namespace is a literal folder inside the warehouse.
run load --warehouse "$WH" '%2e%2e.t' "$IN"
expect_ok "load %2e%2e.t"
[ -d "$WH/%2e%2e/t/data" ] || fail "%2e%2e.t not in the literal folder $WH/%2e%2e/t"
[ -z "$(files_outside "$WH")" ] || fail "files outside the warehouse: $(files_outside "$WH")"
expect_eq "%2e%2e.t rows" "$(rowcount '%2e%2e.t')" 8

# 2. escaped slashes and dots stay one literal folder name.
name='a.%2e%2e%2f%2e%2e%2f%2e%2e%2fescaped'
run load --warehouse "$WH" "$name" "$IN"
expect_ok "load $name"
[ -d "$WH/a/%2e%2e%2f%2e%2e%2f%2e%2e%2fescaped/metadata" ] || fail "$name not literal"
[ -z "$(files_outside "$WH")" ] || fail "files outside the warehouse: $(files_outside "$WH")"
expect_eq "$name rows" "$(rowcount "$name")" 8

# 3. a.x%41y and a.xAy are two tables in two folders.
run load --warehouse "$WH" 'a.x%41y' "$IN"
expect_ok "load a.x%41y"
run load --warehouse "$WH" a.xAy "$IN" "$IN"
expect_ok "load a.xAy"
[ -d "$WH/a/x%41y/data" ] && [ -d "$WH/a/xAy/data" ] || fail "x%41y and xAy share a folder"
expect_eq "a.x%41y data files" "$(datafiles "$WH/a/x%41y")" 1
expect_eq "a.x%41y rows" "$(rowcount 'a.x%41y')" 8
expect_eq "a.xAy rows" "$(rowcount a.xAy)" 16

# 4. a warehouse with an escape keeps catalog and files in that literal folder.
W2=$TMP/'w%41h'
run load --warehouse "$W2" db.t "$IN"
expect_ok "load into w%41h"
[ -f "$W2/catalog.db" ] && [ -d "$W2/db/t/data" ] || fail "w%41h does not hold the table"
[ ! -e "$TMP/wAh" ] || fail "files written to the decoded folder wAh"
run scan --warehouse "$W2" db.t
expect_ok "scan w%41h"
expect_eq "w%41h rows" "$(wc -l <"$TMP/out" | tr -d ' ')" 8

# 5. characters a file: URI cannot carry are refused, and nothing is written.
for bad in 'a.x#y' 'a.x?y' 'h#sh.t'; do
  run load --warehouse "$WH" "$bad" "$IN"
  expect_error "load $bad" 1 "cannot appear in a table location"
done
[ -z "$(find "$WH" -name '*#*' -o -name '*\?*')" ] || fail "folders made for refused names"
run create --warehouse "$WH" 'a.q?x' --schema-from "$IN"
expect_error "create a.q?x" 1 "cannot appear in a table location"
run load --warehouse "$TMP/w#h" db.t "$IN"
expect_error "warehouse with #" 1 "warehouse .*cannot appear in a table location"
[ ! -e "$TMP/w#h" ] || fail "refused warehouse was created"
run load --warehouse "$TMP/w?h" db.t "$IN"
expect_error "warehouse with ?" 1 "cannot appear in a table location"

finish
