#!/usr/bin/env bash
# Catalog URIs: one that names no file (in-memory or temporary SQLite) would "commit"
# into a database that vanishes with the process, so it is refused with a usage error
# naming the URI, before anything is written or created. sqlite: URIs are read as
# SQLAlchemy reads them (so dlt, pyiceberg and icestream agree on the file), and new
# catalogs have Java's V1 iceberg_type column while old ones without it still work.
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
run load --warehouse "$WH" --catalog 'sqlite://host/x.db' db.t "$IN"
expect_error "sqlite URI with a host" 2 "names a host"

# sql ARGS: runs python's sqlite3 on DB with SQL, prints the rows.
sql() {
  python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall(): print(*r)' "$@"
}
mkdir -p "$TMP/cwd" && cd "$TMP/cwd" || exit 1
run load --warehouse "$WH" --catalog 'sqlite:///rel.db' db.t "$IN"
expect_ok "sqlite:///rel.db"
[ -f "$TMP/cwd/rel.db" ] || fail "sqlite:///rel.db is not relative to the working directory"
run load --warehouse "$WH" --catalog 'sqlite:///sub/rel2.db' db.t2 "$IN"
expect_ok "sqlite:///sub/rel2.db"
[ -f "$TMP/cwd/sub/rel2.db" ] || fail "sqlite:///sub/rel2.db is not cwd/sub/rel2.db"
run load --warehouse "$WH" --catalog "sqlite:////$TMP/abs.db" db.a "$IN"
expect_ok "sqlite:////abs.db"
[ -f "$TMP/abs.db" ] || fail "sqlite:////abs.db did not make $TMP/abs.db"
run load --warehouse "$WH" --catalog "jdbc:sqlite:$TMP/abs.db" db.a "$IN"
expect_ok "jdbc:sqlite:PATH names the same file"
run scan --warehouse "$WH" --catalog "sqlite:$TMP/abs.db" db.a
expect_ok "sqlite:PATH names the same file"
expect_eq "rows through the three spellings" "$(wc -l <"$TMP/out")" 16

# A new catalog has iceberg_type, and our rows say TABLE.
expect_eq "iceberg_type column" \
  "$(sql "$TMP/abs.db" "select name from pragma_table_info('iceberg_tables') where name='iceberg_type'")" \
  "iceberg_type"
expect_eq "rows we insert are TABLEs" "$(sql "$TMP/abs.db" "select iceberg_type from iceberg_tables")" \
  "TABLE"
# A row another tool wrote with NULL iceberg_type is a table too.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("update iceberg_tables set iceberg_type = NULL"); c.commit()' "$TMP/abs.db"
run load --warehouse "$WH" --catalog "sqlite:$TMP/abs.db" db.a "$IN"
expect_ok "load into a row with NULL iceberg_type"
run tables --warehouse "$WH" --catalog "sqlite:$TMP/abs.db"
expect_stdout "tables lists the NULL-typed row" "db.a"

# An old catalog without the column (Java's V0 layout) keeps working, unchanged.
python3 -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE iceberg_tables (catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), PRIMARY KEY (catalog_name, table_namespace, table_name))")
c.execute("CREATE TABLE iceberg_namespace_properties (catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255), property_value VARCHAR(1000), PRIMARY KEY (catalog_name, namespace, property_key))")
c.commit()' "$TMP/old.db"
run load --warehouse "$TMP/whold" --catalog "sqlite:$TMP/old.db" db.o "$IN"
expect_ok "load into a V0 catalog"
run load --warehouse "$TMP/whold" --catalog "sqlite:$TMP/old.db" db.o "$IN"
expect_ok "append into a V0 catalog"
run scan --warehouse "$TMP/whold" --catalog "sqlite:$TMP/old.db" db.o
expect_ok "scan a V0 catalog"
expect_eq "rows in the V0 catalog" "$(wc -l <"$TMP/out")" 16
expect_eq "V0 catalog keeps its layout" \
  "$(sql "$TMP/old.db" "select count(*) from pragma_table_info('iceberg_tables')")" 5
finish
