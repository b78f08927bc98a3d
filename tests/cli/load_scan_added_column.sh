#!/usr/bin/env bash
# Reading a table whose schema gained a column after its files were written: the
# files lack the field id, so scan returns null for it (Iceberg's rule). The column is
# added the way any engine would: a new metadata file with the wider schema, swapped in
# through the catalog row. Appending files without the column then fills nulls too.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"

run load --warehouse "$WH" db.t "$P/alltypes_plain.parquet"
expect_ok "load"
old=$(metadata_of db.t)
new=${old%.metadata.json}-evolved.metadata.json
python3 - "${old#file:}" "${new#file:}" <<'PY' || fail "evolving the schema"
import json, sys
src, dst = sys.argv[1], sys.argv[2]
d = json.load(open(src))
s = json.loads(json.dumps(d['schemas'][0]))
s['schema-id'] = 1
s['fields'].append({'id': d['last-column-id'] + 1, 'name': 'added_later', 'required': False, 'type': 'string'})
s['fields'].append({'id': d['last-column-id'] + 2, 'name': 'added_list', 'required': False,
                    'type': {'type': 'list', 'element-id': d['last-column-id'] + 3,
                             'element-required': False, 'element': 'long'}})
d['schemas'].append(s)
d['current-schema-id'] = 1
d['last-column-id'] += 3
json.dump(d, open(dst, 'w'))
PY
python3 - "$WH/catalog.db" "$old" "$new" <<'PY' || fail "updating the catalog row"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("UPDATE iceberg_tables SET metadata_location=?, previous_metadata_location=? "
              "WHERE table_name='t' AND metadata_location=?", (sys.argv[3], sys.argv[2], sys.argv[2])).rowcount
c.commit()
sys.exit(0 if n == 1 else 1)
PY
run scan --warehouse "$WH" db.t --limit 2
expect_ok "scan with an added column"
expect_eq "added column is null" "$(grep -c '"added_later":null,"added_list":null}' "$TMP/out")" 2
run scan --warehouse "$WH" db.t --columns id,added_later --format csv --limit 1
expect_ok "projection of an added column"
expect_stdout "csv of added column" "id,added_later
4,"
# a load into the evolved table: the input lacks the optional columns -> nulls
run load --warehouse "$WH" db.t "$P/alltypes_plain.snappy.parquet"
expect_ok "append into the evolved table"
expect_eq "rows after append" "$(rowcount db.t)" 10
run scan --warehouse "$WH" db.t
expect_eq "all rows null in added columns" "$(grep -c '"added_later":null,"added_list":null}' "$TMP/out")" 10
# independent readers agree (when npm packages are installed)
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if command -v node >/dev/null && [ -d "$INTEROP/node_modules/icebird" ]; then
  "$ICESTREAM" scan --warehouse "$WH" db.t >"$TMP/scan.jsonl"
  node "$INTEROP/check_table.mjs" "$(metadata_of db.t)" --expect-rows 10 \
    --expect-jsonl "$TMP/scan.jsonl" >"$TMP/check.out" 2>&1 ||
    fail "check_table: $(cat "$TMP/check.out")"
fi
finish
