# Helpers for the schema-evolution tests (load_schema_*.sh, load_merge_evolution.sh,
# table_alter_schema.sh): sources the CLI, load, DuckDB and merge helpers, then reads the
# current schema out of a table's metadata.
_lib_dir=$(dirname "${BASH_SOURCE[0]}")
source "$_lib_dir/lib_cli.bash"
source "$_lib_dir/lib_load.bash"
source "$_lib_dir/lib_duckdb.bash"
source "$_lib_dir/lib_merge.bash"

# md TABLE EXPR: EXPR over the current metadata `d` (s = the current schema). ty(t) spells
# a type as {id:name[!]:type,...} (! = required); ty(t, False) leaves out the marks.
md() {
  local f
  f=$(metadata_of "$1")
  python3 - "${f#file:}" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d['schemas'] if x['schema-id'] == d['current-schema-id']][0]
def ty(t, marks=True):
    if isinstance(t, str): return t
    if t['type'] == 'struct':
        return '{' + ','.join(f"{f['id']}:{f['name']}{'!' if marks and f['required'] else ''}:{ty(f['type'], marks)}" for f in t['fields']) + '}'
    if t['type'] == 'list': return f"list<{t['element-id']}:{ty(t['element'], marks)}>"
    return f"map<{t['key-id']}:{ty(t['key'], marks)},{t['value-id']}:{ty(t['value'], marks)}>"
print(eval(sys.argv[2]))
PY
}

# versions TABLE: metadata files of the table.
versions() { find "$WH/db/$1/metadata" -name '*.metadata.json' | wc -l | tr -d ' '; }

# check_evolved WHAT TABLE [--skip-icebird]: DuckDB (projecting by field id at every
# depth) and icebird read TABLE's rows as `icestream scan` does
# (tests/interop/check_evolved.mjs).
check_evolved() {
  rows "$2" >"$TMP/evolved.jsonl"
  node "$INTEROP_DIR/check_evolved.mjs" "$(metadata_of "$2")" --expect-jsonl "$TMP/evolved.jsonl" ${3:-} \
    >"$TMP/check" 2>&1 || fail "$1: interop: $(tail -c 600 "$TMP/check")"
}
