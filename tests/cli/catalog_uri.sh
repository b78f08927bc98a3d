#!/usr/bin/env bash
# Catalog URIs: one that names no file (in-memory or temporary SQLite) would "commit"
# into a database that vanishes with the process, so it is refused with a usage error
# naming the URI, before anything is written or created.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet
cd "$TMP" || exit 1 # a relative file: name must not land in the build tree

for uri in 'sqlite::memory:' 'sqlite://' 'sqlite:' 'sqlite:file::memory:' \
  'sqlite:file:cat.db?mode=memory&cache=shared' 'sqlite:cat.db?mode=memory' \
  'sqlite:///:memory:' 'sqlite:file:cat.db' 'file::memory:'; do
  run load --warehouse "$WH" --catalog "$uri" db.t "$IN"
  expect_error "load with --catalog $uri" 2 "catalog URI '$(printf '%s' "$uri" |
    sed 's/[][\\.*^$?+(){}|]/\\&/g')'"
  run tables --warehouse "$WH" --catalog "$uri"
  expect_error "tables with --catalog $uri" 2 "catalog URI"
done
[ -e "$WH" ] && fail "a refused catalog URI created $(find "$WH")"
left=$(find "$TMP" -mindepth 1 -maxdepth 1 ! -name out ! -name err)
expect_eq "nothing created beside the test's own files" "$left" ""
finish
