#!/usr/bin/env bash
# Impossible metadata values stop a load before it writes anything: a table whose
# last-column-id is below a field id it already has can still be read, but a load
# refuses it (naming the field) and leaves no file behind; a negative sequence number is
# refused on read.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

run load --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
meta=$(metadata_of db.t)
local_meta=${meta#file:}
[ -f "$local_meta" ] || fail "metadata file $local_meta not found"
files_before=$(find "$WH/db/t" -type f | sort)

# Lower last-column-id in place (the catalog still points at this file).
python3 - "$local_meta" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["last-column-id"] = 3
json.dump(d, open(p, "w"), indent=2)
PY
run scan --warehouse "$WH" db.t
expect_ok "a low last-column-id is still readable"
run load --warehouse "$WH" db.t "$IN"
expect_error "load into a table with a low last-column-id" 1 \
  "last-column-id 3 is below field id 11 of schema 0"
expect_eq "nothing written by the refused load" "$(find "$WH/db/t" -type f | sort)" \
  "$files_before"
expect_eq "table unchanged" "$(metadata_of db.t)" "$meta"

python3 - "$local_meta" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["last-column-id"] = 11
d["last-sequence-number"] = -4
json.dump(d, open(p, "w"), indent=2)
PY
run scan --warehouse "$WH" db.t
expect_error "negative last-sequence-number" 1 "negative last-sequence-number"
run load --warehouse "$WH" db.t "$IN"
expect_error "load into a table with a negative last-sequence-number" 1 \
  "negative last-sequence-number"
expect_eq "nothing written by the second refused load" \
  "$(find "$WH/db/t" -type f | sort)" "$files_before"
finish
