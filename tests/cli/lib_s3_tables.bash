# Merge and partitioned loads into s3:// tables, one scenario for every catalog (sourced
# after lib_cli.bash, lib_load.bash, lib_duckdb.bash and lib_s3.bash; the caller defines
# `s3t CMD ARGS...`: icestream CMD through its catalog with its S3 settings, the S3
# endpoint on port ${S3T_PORT:-$S3_PORT}, leaving $TMP/out, $TMP/err and $rc as run()).
#
# s3_tables_scenario NS runs, on tables NS.cow, NS.mor and NS.part:
#  - merges into an unpartitioned table, copy-on-write and merge-on-read: create by
#    merge, upsert with hard deletes (update + insert + delete + unchanged in one
#    commit), a hard delete alone, a merge refused for a duplicate key that leaves no
#    new object under the table's location and commits nothing, then a copy-on-write
#    upsert (the merge-on-read table altered first: the rewrite applies its deletes);
#  - partitioned loads (bucket(4, id), day(ts), identity(s) with a null and values that
#    need escaping in a Hive folder: 'é/ü?', 'a b', 'x=1&y+z*~', '100%') through few open
#    writers, so rows spill to local temporary runs: append, append, overwrite-partitions,
#    a load failing on a corrupt input after writing files (it deletes them: DELETEs seen
#    by a proxy, no object left), replace, then a merge-on-read upsert (one row moved to
#    another partition);
#  - every state's rows exactly as expected (`icestream scan` against sets DuckDB
#    computes from the inputs; overwrite-partitions' survivors decided by tests/interop
#    partition_rows.mjs, its own transforms); boto3 copies each table down, DuckDB and
#    icebird read the copy (check_scan.mjs applying the delete rules for the merge
#    tables, check_table.mjs for the partitioned one) and agree with scan;
#    check_partitions.mjs recomputes every row's partition and checks each file's folder;
#  - no temporary run is left in $TMPDIR and no object outside a table's data/ and
#    metadata/ folders is in the bucket (spill files stay local).
S3T=$TMP/s3t
mkdir -p "$S3T"
export TMPDIR=$S3T/tmp # temporary runs of the partitioned loads, checked empty
mkdir -p "$TMPDIR"

# s3t_pq NAME SELECT: $S3T/NAME.parquet from a DuckDB query.
s3t_pq() {
  duck "COPY ($2) TO '$S3T/$1.parquet' (FORMAT parquet)" >/dev/null || fail "duckdb: $2"
}

# s3t_want NAME SELECT: the rows of a DuckDB query over the inputs (in $S3T, as views
# named after their files) as JSON lines in $S3T/NAME.want.
s3t_want() {
  local views=() f
  for f in "$S3T"/*.parquet; do
    f=$(basename "$f" .parquet)
    views+=("CREATE VIEW \"$f\" AS SELECT * FROM read_parquet('$S3T/$f.parquet')")
  done
  duck "${views[@]}" "$2" >"$S3T/$1.want" || fail "duckdb: $2"
}

# Functions that can fail() run in the test's own shell (a failure counted in a $(...)
# would be lost): they leave their results in variables and files.

# s3t_prefix TABLE: S3T_PREFIX = the table's location without s3://BUCKET/ (its key
# prefix), S3T_META = its current metadata location.
s3t_prefix() {
  S3T_PREFIX= S3T_META=
  s3t describe --json "$1"
  local loc
  loc=$(jget "$TMP/out" "d['location']" 2>/dev/null)
  case $loc in
    "s3://$S3_BUCKET/"?*) S3T_PREFIX=${loc#s3://$S3_BUCKET/} ;;
    *) fail "$1: location '$loc' not in the bucket: $(head -c 300 "$TMP/err")" ;;
  esac
  S3T_META=$(jget "$TMP/out" "d['metadata-location']" 2>/dev/null)
}

# s3t_keys TABLE FILE: the keys under the table's location (data/ and metadata/),
# sorted, into FILE.
s3t_keys() {
  : >"$2"
  s3t_prefix "$1"
  [ -n "$S3T_PREFIX" ] || return
  boto keys "$S3T_PREFIX/" >"$S3T/keys.raw" || fail "$1: boto3 could not list the table"
  awk '{print $1}' "$S3T/keys.raw" | LC_ALL=C sort >"$2"
  grep -q "^$S3T_PREFIX/data/" "$2" || fail "$1: no object under $S3T_PREFIX/data/"
}

# s3t_same_keys WHAT TABLE FILE: the table's keys are still those of FILE (from
# s3t_keys); the first differences are named.
s3t_same_keys() {
  s3t_keys "$2" "$S3T/keys.now"
  cmp -s "$3" "$S3T/keys.now" && return
  fail "$1: $(comm -13 "$3" "$S3T/keys.now" | wc -l) new objects, $(comm -23 "$3" "$S3T/keys.now" | wc -l) gone, e.g. $(comm -3 "$3" "$S3T/keys.now" | head -2 | tr -d '\t')"
}

s3t_snapcount() {
  s3t snapshots --json "$1"
  jget "$TMP/out" "len(d)" 2>/dev/null || echo x
}

# s3t_rows WHAT TABLE WANT: `icestream scan` of TABLE (kept in $S3T/scan.jsonl) has
# exactly the rows of the JSON lines file WANT (integers, timestamps and text compared
# as values: DuckDB prints BIGINT as a string, timestamps in its own form).
s3t_rows() {
  s3t scan "$2"
  cp "$TMP/out" "$S3T/scan.jsonl"
  [ "$rc" -eq 0 ] || { fail "$1: scan $2: $(head -c 300 "$TMP/err")"; return; }
  python3 - "$S3T/scan.jsonl" "$3" >"$S3T/rows.diff" 2>&1 <<'PY' || fail "$1: rows of $2 differ: $(head -c 800 "$S3T/rows.diff")"
import json, re, sys
TS = re.compile(r'^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:Z|\+00(?::?00)?)$')
def canon(v):
    if isinstance(v, str):
        if re.fullmatch(r'-?\d+', v):
            return int(v)
        m = TS.match(v)
        if m:
            return f"{m[1]} {m[2]}.{(m[3] or '').ljust(6, '0')}"
    return v
def rows(path):
    out = []
    for line in open(path, encoding='utf-8'):
        if line.strip():
            r = json.loads(line)
            out.append(json.dumps({k: canon(v) for k, v in sorted(r.items())}, ensure_ascii=False))
    return sorted(out)
got, want = rows(sys.argv[1]), rows(sys.argv[2])
if got == want:
    sys.exit(0)
g, w = set(got), set(want)
print(f"{len(got)} rows, want {len(want)}; unexpected {sorted(g - w)[:3]}; missing {sorted(w - g)[:3]}")
sys.exit(1)
PY
}

# s3t_copy TABLE: boto3 copies the table's objects to a fresh $S3T/copy; S3T_COPY is the
# local path of its current metadata file there.
s3t_copy() {
  S3T_COPY=
  s3t_prefix "$1"
  rm -rf "$S3T/copy"
  [ -n "$S3T_PREFIX" ] || return
  boto copy "$S3T_PREFIX/" "$S3T/copy" || fail "boto3 could not copy $1"
  S3T_COPY=$S3T/copy/$S3_BUCKET${S3T_META#s3://$S3_BUCKET}
  [ -f "$S3T_COPY" ] || fail "$1: metadata $S3T_META not in the copy"
}
S3T_MAP=(--map "s3://$S3_BUCKET=$S3T/copy/$S3_BUCKET")

# s3t_merge TABLE ARGS...: a --json merge; the answer kept in $S3T/m.json.
s3t_merge() {
  local t=$1
  shift
  s3t load --json --mode merge --merge-key id "$t" "$@"
  cp "$TMP/out" "$S3T/m.json"
}
s3t_counters() {
  jget "$S3T/m.json" "' '.join(str(d[k]) for k in ['rows_inserted','rows_updated','rows_deleted','rows_unchanged'])" 2>/dev/null
}

s3t_merge_inputs() {
  s3t_pq base "SELECT i::INTEGER AS id, 'n' || i AS name, i::INTEGER AS qty, false AS gone FROM range(1000) t(i)"
  # 900..1099: even ids renamed, odd ones as stored, ...3 below 1000 hard deleted
  s3t_pq up "SELECT i::INTEGER AS id, CASE WHEN i % 2 = 0 THEN 'u' || i ELSE 'n' || i END AS name,
    i::INTEGER AS qty, i % 10 = 3 AND i < 1000 AS gone FROM range(900, 1100) t(i)"
  s3t_pq hd "SELECT i::INTEGER AS id, 'n' || i AS name, i::INTEGER AS qty, true AS gone FROM range(10) t(i)"
  s3t_pq dup "SELECT i::INTEGER AS id, 'd' || i AS name, 0 AS qty, false AS gone FROM range(2000, 3000) t(i)
    UNION ALL SELECT 2500, 'again', 1, false"
  s3t_pq cw "SELECT * FROM (VALUES (11, 'cw11', 11, false), (5000, 'new', 0, false)) t(id, name, qty, gone)"
  s3t_want m1 "SELECT * FROM base WHERE id < 900 UNION ALL SELECT * FROM up WHERE NOT gone"
  s3t_want m2 "SELECT * FROM base WHERE id >= 10 AND id < 900 UNION ALL SELECT * FROM up WHERE NOT gone"
  s3t_want m3 "SELECT * FROM base WHERE id >= 10 AND id < 900 AND id <> 11 UNION ALL SELECT * FROM up WHERE NOT gone
    UNION ALL SELECT * FROM cw"
}

# s3t_merge_case TABLE copy-on-write|merge-on-read
s3t_merge_case() {
  local t=$1 mode=$2 props=()
  [ "$mode" = merge-on-read ] && props=(--property write.merge.mode=merge-on-read
    --property write.update.mode=merge-on-read --property write.delete.mode=merge-on-read)
  s3t_merge "$t" "${props[@]}" "$S3T/base.parquet"
  expect_ok "$t: merge creating the table"
  expect_eq "$t: create counters" "$(s3t_counters)" "1000 0 0 0"
  s3t_merge "$t" --hard-delete gone "$S3T/up.parquet"
  expect_ok "$t: upsert with hard deletes"
  expect_eq "$t: upsert operation" "$(jget "$S3T/m.json" "d['operation']")" overwrite
  expect_eq "$t: upsert counters" "$(s3t_counters)" "100 50 10 40"
  s3t_rows "$t: after the upsert" "$t" "$S3T/m1.want"
  if [ "$mode" = merge-on-read ]; then
    expect_eq "$t: delete files" "$(jget "$S3T/m.json" "d['delete_files_added']")" 1
    expect_eq "$t: files rewritten" "$(jget "$S3T/m.json" "d['files_rewritten']")" 0
  else
    expect_eq "$t: files rewritten" "$(jget "$S3T/m.json" "d['files_rewritten']")" 1
    expect_eq "$t: delete files" "$(jget "$S3T/m.json" "d['delete_files_added']")" 0
  fi
  s3t_merge "$t" --hard-delete gone "$S3T/hd.parquet"
  expect_ok "$t: hard delete alone"
  expect_eq "$t: hard delete operation" "$(jget "$S3T/m.json" "d['operation']")" delete
  expect_eq "$t: hard delete counters" "$(s3t_counters)" "0 0 10 0"
  s3t_rows "$t: after the hard delete" "$t" "$S3T/m2.want"
  local deletes
  s3t_keys "$t" "$S3T/keys.before"
  deletes=$(grep -c -- '-deletes-' "$S3T/keys.before")
  if [ "$mode" = merge-on-read ]; then
    [ "$deletes" -ge 2 ] || fail "$t: $deletes position delete objects in the bucket, want 2"
  else
    expect_eq "$t: position delete objects" "$deletes" 0
  fi

  # A merge refused for a duplicate key leaves no object and commits nothing.
  local snaps
  snaps=$(s3t_snapcount "$t")
  s3t_merge "$t" "$S3T/dup.parquet"
  expect_error "$t: duplicate key" 1 "duplicate key id=2500"
  s3t_same_keys "$t: objects after the refused merge" "$t" "$S3T/keys.before"
  expect_eq "$t: snapshots after the refused merge" "$(s3t_snapcount "$t")" "$snaps"

  # The merge-on-read table turned copy-on-write: the file rewritten for id 11 leaves
  # out the rows the earlier position deletes removed.
  if [ "$mode" = merge-on-read ]; then
    local k
    for k in merge update delete; do
      s3t alter "$t" --set-property "write.$k.mode=copy-on-write"
      expect_ok "$t: alter write.$k.mode"
    done
  fi
  s3t_merge "$t" "$S3T/cw.parquet"
  expect_ok "$t: copy-on-write upsert"
  expect_eq "$t: copy-on-write counters" "$(s3t_counters)" "1 1 0 0"
  expect_eq "$t: copy-on-write files rewritten" "$(jget "$S3T/m.json" "d['files_rewritten']")" 1

  # Independent readers of the bucket's copy: DuckDB (delete rules of the spec) and icebird.
  s3t_rows "$t: before the interop check" "$t" "$S3T/m3.want"
  s3t_copy "$t"
  node "$INTEROP_DIR/check_scan.mjs" "$S3T_COPY" "${S3T_MAP[@]}" --expect-jsonl "$S3T/scan.jsonl" \
    >"$S3T/check.out" 2>&1 || fail "$t: check_scan: $(tail -c 800 "$S3T/check.out")"
  grep -q "check_scan: ok: 1081 rows" "$S3T/check.out" ||
    fail "$t: check_scan: $(tail -c 400 "$S3T/check.out")"
}

S3T_SPEC='bucket(4, id), day(ts), s'
S3T_FIELDS='bucket[4]:id:long,day:us:timestamptz,identity:s:string'
# s3t_part_rows FROM TO DAY0 SVALUES: rows i in [FROM, TO): ts from DAY0 in 13-minute
# steps (a few days), us its microseconds, s one of SVALUES (a DuckDB list) or null.
s3t_part_rows() {
  echo "SELECT (i * 7919 % 100003)::BIGINT AS id, TIMESTAMPTZ '$3 00:00:00+00' + to_minutes((i - $1) * 13) AS ts,
      epoch_us(TIMESTAMPTZ '$3 00:00:00+00' + to_minutes((i - $1) * 13)) AS us,
      CASE WHEN i % 7 = 6 THEN NULL ELSE ($4)[1 + i % len($4)] END AS s, 'v' || i AS v
    FROM range($1, $2) t(i)"
}

s3t_part_inputs() {
  local sv="['é/ü?', 'a b', 'x=1&y+z*~', '100%']"
  s3t_pq p1 "$(s3t_part_rows 0 300 2024-03-01 "$sv")"
  s3t_pq p2 "$(s3t_part_rows 300 400 2024-03-09 "$sv")"
  # overwrite-partitions: 24 rows on the first day, s 'a b' or null
  s3t_pq p3 "$(s3t_part_rows 5000 5024 2024-03-01 "['a b']")"
  s3t_pq p4 "$(s3t_part_rows 9000 9020 2024-04-01 "$sv")"
  # 20,000 rows in the partitions of p1, v of high entropy (most of the file's bytes);
  # 64 bytes of garbage in a late row group: found only after earlier files were written
  duck "COPY (SELECT id, ts, us, s, md5(v || j) || md5(j || v) AS v
      FROM ($(s3t_part_rows 0 300 2024-03-01 "$sv")) p, range(67) r(j)) TO '$S3T/bad.part' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2000)" >/dev/null ||
    fail "duckdb: bad.part"
  python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
at = len(b) * 4 // 5
b[at:at + 64] = b"\xff" * 64
open(sys.argv[1], "wb").write(b)' "$S3T/bad.part"
  mv "$S3T/bad.part" "$S3T/bad.corrupt"
  s3t_want p12 "SELECT * FROM p1 UNION ALL SELECT * FROM p2"
  s3t_want p3 "SELECT * FROM p3"
  s3t_want p4 "SELECT * FROM p4"
  # A merge into the partitioned table: 6 of p4's rows updated (one moved to another
  # partition by a new s), 5 new rows on another day.
  s3t_pq p5 "SELECT * FROM (SELECT id, ts, us,
        CASE WHEN row_number() OVER (ORDER BY id) = 1 THEN 'moved' ELSE s END AS s, 'w' || v AS v
      FROM read_parquet('$S3T/p4.parquet') ORDER BY id LIMIT 6)
    UNION ALL SELECT * FROM ($(s3t_part_rows 9100 9105 2024-04-02 "$sv")) n"
  s3t_want p45 "SELECT * FROM p4 WHERE id NOT IN (SELECT id FROM p5) UNION ALL SELECT * FROM p5"
}

# s3t_part_case TABLE
s3t_part_case() {
  local t=$1
  # Two open writers: rows of other partitions spill. Files of 4 KiB, small pages: the
  # failing load below finishes some (uploads them) before it fails.
  s3t load --json --partition-by "$S3T_SPEC" --property write.partition.max-open-files=2 \
    --property write.target-file-size-bytes=4096 --property write.parquet.page-size-bytes=4096 \
    "$t" "$S3T/p1.parquet"
  expect_ok "$t: partitioned load creating the table"
  local spilled
  spilled=$(jget "$TMP/out" "d.get('rows_spilled', 0)" 2>/dev/null)
  [ "${spilled:-0}" -gt 0 ] || fail "$t: no row went through a temporary run: $(head -c 400 "$TMP/out")"
  s3t load --json "$t" "$S3T/p2.parquet"
  expect_ok "$t: partitioned append"
  s3t_rows "$t: after two appends" "$t" "$S3T/p12.want"

  # overwrite-partitions: the stored rows in the partitions of p3 go, the others stay
  cp "$S3T/scan.jsonl" "$S3T/before.jsonl"
  node "$INTEROP_DIR/partition_rows.mjs" "$S3T_FIELDS" "$S3T/p3.want" "$S3T/before.jsonl" kept \
    >"$S3T/kept.jsonl" || fail "$t: partition_rows"
  local kept touched
  kept=$(wc -l <"$S3T/kept.jsonl" | tr -d ' ')
  touched=$(node "$INTEROP_DIR/partition_rows.mjs" "$S3T_FIELDS" "$S3T/p3.want" count)
  [ "$kept" -gt 0 ] && [ "$kept" -lt 400 ] && [ "${touched:-0}" -gt 1 ] ||
    fail "$t: overwrite input touches $touched partitions, keeps $kept of 400 rows"
  cat "$S3T/kept.jsonl" "$S3T/p3.want" >"$S3T/p123.want"
  s3t load --json --mode overwrite-partitions "$t" "$S3T/p3.parquet"
  expect_ok "$t: overwrite-partitions"
  expect_eq "$t: overwrite-partitions operation" "$(jget "$TMP/out" "d['operation']")" overwrite
  s3t_rows "$t: after overwrite-partitions" "$t" "$S3T/p123.want"

  # Independent readers of the bucket's copy, and the partition values recomputed.
  s3t_copy "$t"
  node "$INTEROP_DIR/check_partitions.mjs" "$S3T_COPY" "${S3T_MAP[@]}" >"$S3T/parts.json" 2>&1 ||
    fail "$t: check_partitions: $(head -c 1500 "$S3T/parts.json")"
  [ "$(jget "$S3T/parts.json" "d['paths_checked'] == d['files'] and d['rows'] == $((kept + 24))")" = True ] ||
    fail "$t: not every file and row was checked: $(head -c 600 "$S3T/parts.json")"
  s3t_keys "$t" "$S3T/keys.before"
  grep -q '/s=null/' "$S3T/keys.before" || fail "$t: no s=null folder"
  grep -q '/s=%C3%A9%2F%C3%BC%3F/' "$S3T/keys.before" || fail "$t: no escaped folder for é/ü?"
  node "$INTEROP_DIR/check_table.mjs" "$S3T_COPY" "${S3T_MAP[@]}" --expect-rows $((kept + 24)) \
    --expect-jsonl "$S3T/scan.jsonl" >"$S3T/check.out" 2>&1 ||
    fail "$t: check_table: $(head -c 1500 "$S3T/check.out")"

  # A load failing on its corrupt third input deletes the files it wrote.
  local snaps
  snaps=$(s3t_snapcount "$t")
  proxy_start
  S3T_PORT=$PROXY_PORT s3t load --batch-rows 1000 "$t" "$S3T/p1.parquet" "$S3T/p2.parquet" "$S3T/bad.corrupt"
  proxy_stop
  cp "$TMP/proxy.log" "$S3T/proxy.log"
  expect_error "$t: corrupt input" 1 "bad.corrupt"
  # every data file it uploaded, it deleted (the proxy saw both requests)
  local puts undeleted
  puts=$(sed -n 's|^PUT \(/.*/data/.*\.parquet\) -> 200$|\1|p' "$S3T/proxy.log" | LC_ALL=C sort)
  undeleted=$(comm -23 <(echo "$puts") \
    <(sed -n 's|^DELETE \(/.*/data/.*\.parquet\) -> 204$|\1|p' "$S3T/proxy.log" | LC_ALL=C sort))
  [ -n "$puts" ] || fail "$t: the failed load uploaded no file before failing (nothing to clean)"
  [ -z "$undeleted" ] || fail "$t: uploaded by the failed load and not deleted: $(echo "$undeleted" | head -3)"
  s3t_same_keys "$t: objects after the failed load" "$t" "$S3T/keys.before"
  expect_eq "$t: snapshots after the failed load" "$(s3t_snapcount "$t")" "$snaps"

  s3t load --json --mode replace "$t" "$S3T/p4.parquet"
  expect_ok "$t: replace"
  expect_eq "$t: replace operation" "$(jget "$TMP/out" "d['operation']")" overwrite
  s3t_rows "$t: after the replace" "$t" "$S3T/p4.want"

  # Merge-on-read into the partitioned table: position deletes in each touched
  # partition's folder, the moved row once, in its new partition.
  local k
  for k in merge update delete; do
    s3t alter "$t" --set-property "write.$k.mode=merge-on-read"
    expect_ok "$t: alter write.$k.mode"
  done
  s3t_merge "$t" "$S3T/p5.parquet"
  expect_ok "$t: merge into the partitioned table"
  expect_eq "$t: partitioned merge counters" "$(s3t_counters)" "5 6 0 0"
  [ "$(jget "$S3T/m.json" "d['delete_files_added']")" -ge 1 ] ||
    fail "$t: no position delete file: $(head -c 400 "$S3T/m.json")"
  s3t_rows "$t: after the partitioned merge" "$t" "$S3T/p45.want"
  s3t_copy "$t"
  node "$INTEROP_DIR/check_scan.mjs" "$S3T_COPY" "${S3T_MAP[@]}" --expect-jsonl "$S3T/scan.jsonl" \
    >"$S3T/check.out" 2>&1 || fail "$t: check_scan after the merge: $(tail -c 800 "$S3T/check.out")"
  grep -q "check_scan: ok: 25 rows" "$S3T/check.out" ||
    fail "$t: check_scan after the merge: $(tail -c 400 "$S3T/check.out")"
  node "$INTEROP_DIR/check_partitions.mjs" "$S3T_COPY" "${S3T_MAP[@]}" >"$S3T/parts.json" 2>&1 ||
    fail "$t: check_partitions after the merge: $(head -c 1500 "$S3T/parts.json")"
  s3t_keys "$t" "$S3T/keys.after"
  grep -q '/s=moved/' "$S3T/keys.after" || fail "$t: no s=moved folder"
}

s3_tables_scenario() {
  local ns=$1
  s3t_merge_inputs
  s3t_part_inputs
  s3t_merge_case "$ns.cow" copy-on-write
  s3t_merge_case "$ns.mor" merge-on-read
  s3t_part_case "$ns.part"
  local left
  left=$(find "$TMPDIR" -mindepth 1 | head -5)
  [ -z "$left" ] || fail "temporary files left: $left"
  boto keys "" | awk '{print $1}' | grep -Ev '/(data|metadata)/[^ ]*\.(parquet|avro|metadata\.json)$' >"$S3T/stray" || true
  [ ! -s "$S3T/stray" ] || fail "objects outside a table's data/ and metadata/: $(head -5 "$S3T/stray")"
}
