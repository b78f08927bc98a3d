#!/usr/bin/env bash
# The PostgreSQL catalog against a real server this script starts (lib_pg.bash): the
# JDBC tables and rows pyiceberg/Java read, append/replace/merge/create/register/drop,
# 8 processes x 10 appends on one table (every row once, snapshot count exact), a
# connection lost while the commit waits for the row lock (the outcome is resolved and
# the load retried), passwords never in any output, and the table read back by
# DuckDB/icebird/avsc (tests/interop/check_table.mjs). Inputs are written by DuckDB.
source "$(dirname "$0")/lib_pg_duckdb.bash"
C=(--warehouse "$WH" --catalog "$PG_URI")

# ---- append creates the table and the JDBC tables (V1 layout, iceberg_type TABLE)
run load --json "${C[@]}" db.t "$P/alltypes_plain.parquet"
expect_ok "first load"
expect_eq "created" "$(jget "$TMP/out" "d['table_created']")" True
expect_eq "row" "$(pgq "SELECT catalog_name||'|'||table_namespace||'|'||table_name||'|'||iceberg_type||'|'||(previous_metadata_location IS NULL) FROM iceberg_tables")" "default|db|t|TABLE|true"
expect_eq "row location" "$(pgq "SELECT metadata_location FROM iceberg_tables")" "$(jget "$TMP/out" "d['metadata_location']")"
expect_eq "namespace row" "$(pgq "SELECT namespace||'|'||property_key||'|'||property_value FROM iceberg_namespace_properties")" "db|exists|true"
expect_eq "primary key" "$(pgq "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(att, ord), pg_attribute a WHERE i.indrelid = 'iceberg_tables'::regclass AND i.indisprimary AND a.attrelid = i.indrelid AND a.attnum = k.att")" "catalog_name,table_namespace,table_name"
run load --json "${C[@]}" db.t "$P/alltypes_plain.parquet"
expect_ok "append"
expect_eq "previous location" "$(pgq "SELECT previous_metadata_location LIKE '%/00000-%' FROM iceberg_tables")" t
expect_eq "append snapshots" "$(pg_snapcount db.t)" 2
expect_eq "append rows" "$(pg_rowcount db.t)" 16

# ---- replace
run load --json "${C[@]}" --mode replace db.t "$P/alltypes_plain.parquet"
expect_ok "replace"
expect_eq "replace op" "$(jget "$TMP/out" "d['operation']")" overwrite
expect_eq "replace snapshots" "$(pg_snapcount db.t)" 3
expect_eq "replace rows" "$(pg_rowcount db.t)" 8
expect_eq "replace total-records" "$(pg_summary db.t total-records)" 8

# ---- merge (upsert on id)
duck "COPY (SELECT * FROM (VALUES (1,'apple',10),(2,'pear',20),(3,'plum',30)) t(id,name,qty)) TO '$D/a.parquet' (FORMAT parquet)" \
  "COPY (SELECT * FROM (VALUES (2,'pear',21),(4,'fig',40)) t(id,name,qty)) TO '$D/b.parquet' (FORMAT parquet)" >/dev/null ||
  fail "writing merge inputs"
run load --json "${C[@]}" --mode merge --merge-key id db.fruit "$D/a.parquet"
expect_ok "merge creates"
run load --json "${C[@]}" --mode merge --merge-key id db.fruit "$D/b.parquet"
expect_ok "merge upsert"
expect_eq "merge counters" "$(jget "$TMP/out" "(d['rows_inserted'], d['rows_updated'])")" "(1, 1)"
run scan "${C[@]}" db.fruit
expect_eq "merged rows" "$(sort "$TMP/out")" "$(printf '%s\n' '{"id":1,"name":"apple","qty":10}' '{"id":2,"name":"pear","qty":21}' '{"id":3,"name":"plum","qty":30}' '{"id":4,"name":"fig","qty":40}')"
expect_eq "merge snapshots" "$(pg_snapcount db.fruit)" 2

# ---- create, list, register, drop
run create "${C[@]}" other.empty --schema-from "$P/alltypes_plain.parquet"
expect_ok "create"
run create "${C[@]}" other.empty --schema-from "$P/alltypes_plain.parquet"
expect_error "create twice" 1 "already exists"
run tables "${C[@]}"
expect_stdout "tables" "$(printf '%s\n' db.fruit db.t other.empty)"
meta=$(pgq "SELECT metadata_location FROM iceberg_tables WHERE table_name = 't'")
run register "${C[@]}" db.t_again "$meta"
expect_ok "register"
expect_eq "registered rows" "$(pg_rowcount db.t_again)" 8
run register "${C[@]}" db.t_again "$meta"
expect_error "register twice" 1 "already exists"
run drop "${C[@]}" db.t_again
expect_ok "drop"
run drop "${C[@]}" db.t_again
expect_error "drop missing" 1 "does not exist"
expect_eq "rows after drop" "$(pgq "SELECT count(*) FROM iceberg_tables")" 3

# ---- a catalog name of its own shares the database without seeing the others
run tables --warehouse "$WH" --catalog "$PG_URI" --catalog-name other
expect_ok "other catalog name"
expect_stdout "other catalog is empty" ""

# ---- readers create nothing: a database without the tables is not a catalog
psql_do -d postgres -c "CREATE DATABASE empty" >/dev/null
EMPTY_URI="postgres://$PG_USER@/empty?host=$PG_SOCK&port=$PG_PORT"
run tables --warehouse "$WH" --catalog "$EMPTY_URI"
expect_error "reader on an empty database" 1 "has no iceberg_tables"
expect_eq "nothing created" "$(psql_do -d empty -At -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'iceberg%'")" 0

# ---- rows another tool wrote: views are not tables; broken rows are clean errors
pgq "INSERT INTO iceberg_tables VALUES ('default', 'db', 'a_view', '$meta', NULL, 'VIEW')" >/dev/null
run tables "${C[@]}" db
expect_stdout "views are not listed" "$(printf '%s\n' db.fruit db.t)"
pgq "INSERT INTO iceberg_tables VALUES ('default', 'bad', 'nullloc', NULL, NULL, 'TABLE')" >/dev/null
pgq "INSERT INTO iceberg_tables VALUES ('default', 'bad', 'huge', repeat('x', 900) || repeat('/y', 50), NULL, NULL)" >/dev/null
run describe "${C[@]}" bad.nullloc
expect_error "NULL metadata_location" 1 "metadata_location is NULL"
pgq "ALTER TABLE iceberg_tables ALTER COLUMN metadata_location TYPE text" >/dev/null
pgq "UPDATE iceberg_tables SET metadata_location = repeat('x', 70000) WHERE table_name = 'huge'" >/dev/null
run describe "${C[@]}" bad.huge
expect_error "oversized metadata_location" 1 "not a usable string"
pgq "DELETE FROM iceberg_tables WHERE table_namespace = 'bad' OR iceberg_type = 'VIEW'" >/dev/null

# ---- a catalog Java made with its V0 layout (no iceberg_type) is used as it is
psql_do -d postgres -c "CREATE DATABASE v0" >/dev/null
psql_do -d v0 -c "CREATE TABLE iceberg_tables(catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), PRIMARY KEY (catalog_name, table_namespace, table_name))" \
  -c "CREATE TABLE iceberg_namespace_properties(catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255), property_value VARCHAR(1000), PRIMARY KEY (catalog_name, namespace, property_key))" >/dev/null
V0_URI="postgresql://$PG_USER@/v0?host=$PG_SOCK&port=$PG_PORT"
run load --warehouse "$TMP/wh_v0" --catalog "$V0_URI" v0.t "$P/alltypes_plain.parquet"
expect_ok "load into a V0 catalog"
expect_eq "V0 layout kept" "$(psql_do -d v0 -At -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'iceberg_tables' AND column_name = 'iceberg_type'")" 0
expect_eq "V0 row" "$(psql_do -d v0 -At -c "SELECT table_namespace || '.' || table_name FROM iceberg_tables")" v0.t
expect_eq "V0 rows read back" "$("$ICESTREAM" scan --warehouse "$TMP/wh_v0" --catalog "$V0_URI" v0.t | wc -l | tr -d ' ')" 8

# ---- 8 processes x 10 appends on one table: each input's ids are its own, each load
# has its own --load-id (so every retry also runs the load-id check)
procs=8
loads=10
stmts=()
for p in $(seq 1 $procs); do
  for l in $(seq 1 $loads); do
    stmts+=("COPY (SELECT ($p * 1000 + $l * 10 + i)::BIGINT AS id, 'p$p' AS who FROM range(3) r(i)) TO '$D/c_${p}_$l.parquet' (FORMAT parquet)")
  done
done
duck "${stmts[@]}" >/dev/null || fail "writing concurrent inputs"
run create "${C[@]}" db.race --schema-from "$D/c_1_1.parquet"
expect_ok "create db.race"
for p in $(seq 1 $procs); do
  (
    for l in $(seq 1 $loads); do
      "$ICESTREAM" load --json "${C[@]}" --load-id "race-$p-$l" db.race "$D/c_${p}_$l.parquet" >"$TMP/race.$p.$l" 2>"$TMP/race_err.$p.$l" ||
        echo "load $p.$l failed: $(cat "$TMP/race_err.$p.$l")" >>"$TMP/race_failures"
    done
  ) &
done
wait
[ -s "$TMP/race_failures" ] && fail "$(head -c 2000 "$TMP/race_failures")"
total=$((procs * loads))
expect_eq "race snapshots" "$(pg_snapcount db.race)" "$total"
expect_eq "race total-records" "$(pg_summary db.race total-records)" $((total * 3))
"$ICESTREAM" scan "${C[@]}" db.race >"$TMP/race.jsonl" 2>"$TMP/race_scan.err" || fail "scan db.race"
want=$(for p in $(seq 1 $procs); do for l in $(seq 1 $loads); do for i in 0 1 2; do echo $((p * 1000 + l * 10 + i)); done; done; done | sort -n | tr '\n' ' ')
got=$(python3 -c 'import json,sys; print(" ".join(str(x) for x in sorted(json.loads(l)["id"] for l in open(sys.argv[1]))) + " ")' "$TMP/race.jsonl")
expect_eq "every row once" "$got" "$want"
run snapshots --json "${C[@]}" db.race
expect_eq "race load ids" "$(jget "$TMP/out" "sorted(s['summary']['icestream.load-id'] for s in d) == sorted('race-%d-%d' % (p, l) for p in range(1, $procs + 1) for l in range(1, $loads + 1))")" True
expect_eq "race sequence numbers" "$(jget "$TMP/out" "[s['sequence-number'] for s in d] == list(range(1, len(d) + 1))")" True
echo "race commit attempts: $(cat "$TMP"/race.*.* | python3 -c 'import sys,json; a=[json.loads(l)["attempts"] for l in sys.stdin]; print("max", max(a), "sum", sum(a))')"

# ---- the connection is lost while the swap waits for the row lock: the load finds out
# the swap did not happen (the row still names the base), deletes that attempt's
# metadata file and commits again.
run load "${C[@]}" db.lock "$P/alltypes_plain.parquet"
expect_ok "create db.lock"
PGAPPNAME=locker psql_do -c "BEGIN; SELECT 1 FROM iceberg_tables WHERE table_name = 'lock' FOR UPDATE; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 1 100); do
  [ "$(pgq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'locker' AND state = 'active'")" = 1 ] && break
  sleep 0.1
done
"$ICESTREAM" load --json "${C[@]}" db.lock "$P/alltypes_plain.parquet" >"$TMP/lock.out" 2>"$TMP/lock.err" &
loader=$!
waiting=0
for _ in $(seq 1 300); do
  victim=$(pgq "SELECT pid FROM pg_stat_activity WHERE application_name = 'icestream' AND wait_event_type = 'Lock' AND query LIKE 'UPDATE iceberg_tables%'")
  if [ -n "$victim" ]; then waiting=1; break; fi
  sleep 0.1
done
expect_eq "the swap waited for the lock" "$waiting" 1
[ -n "${victim:-}" ] && pgq "SELECT pg_terminate_backend($victim)" >/dev/null
# The retry waits for the lock again; let the locker go once it does.
for _ in $(seq 1 300); do
  again=$(pgq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'icestream' AND wait_event_type = 'Lock'")
  [ "$again" = 1 ] && break
  sleep 0.1
done
pgq "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" >/dev/null
wait "$locker" 2>/dev/null
wait "$loader"
lrc=$?
expect_eq "load after the lost connection" "$lrc" 0
[ "$lrc" -eq 0 ] || echo "stderr: $(cat "$TMP/lock.err")" >&2
expect_eq "attempts" "$(jget "$TMP/lock.out" "d['attempts']")" 2
expect_eq "lock snapshots" "$(pg_snapcount db.lock)" 2
expect_eq "lock rows" "$(pg_rowcount db.lock)" 16
expect_eq "the lost attempt's metadata file is gone" "$(find "$WH/db/lock/metadata" -name '*.metadata.json' | wc -l | tr -d ' ')" 2

# ---- a swap that times out waiting for the row lock (statement_timeout from the URI)
# changed nothing: a conflict, retried until the lock is free
run load "${C[@]}" db.slow "$P/alltypes_plain.parquet"
expect_ok "create db.slow"
PGAPPNAME=locker2 psql_do -c "BEGIN; SELECT 1 FROM iceberg_tables WHERE table_name = 'slow' FOR UPDATE; SELECT pg_sleep(3); COMMIT" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 1 100); do
  [ "$(pgq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'locker2' AND state = 'active'")" = 1 ] && break
  sleep 0.1
done
run load --json --warehouse "$WH" --catalog "$PG_URI&options=-c%20statement_timeout%3D300" db.slow "$P/alltypes_plain.parquet"
expect_ok "load behind a held row lock"
wait "$locker"
expect_eq "timed-out swaps were retried" "$(jget "$TMP/out" "d['attempts'] >= 2")" True
expect_eq "slow snapshots" "$(pg_snapcount db.slow)" 2
expect_eq "timed-out attempts left no metadata file" "$(find "$WH/db/slow/metadata" -name '*.metadata.json' | wc -l | tr -d ' ')" 2

# ---- passwords: in the URI, in ?password= and in PGPASSWORD, never in any output
SECRET=Pw-s3cret-4711
pgq "ALTER ROLE $PG_USER PASSWORD '$SECRET'" >/dev/null
HOST_URI="postgresql://$PG_USER:$SECRET@127.0.0.1:$PG_PORT/cat"
run load --json --warehouse "$WH" --catalog "$HOST_URI" db.t "$P/alltypes_plain.parquet"
expect_ok "load with a password over TCP"
cat "$TMP/out" "$TMP/err" >"$TMP/all_output"
run load --json --warehouse "$WH" --catalog "postgresql://$PG_USER:wrong-$SECRET@127.0.0.1:$PG_PORT/cat" db.t "$P/alltypes_plain.parquet"
expect_error "wrong password" "" "password authentication failed"
grep -q 'wrong-' "$TMP/err" && fail "the wrong password is in the error: $(cat "$TMP/err")"
cat "$TMP/out" "$TMP/err" >>"$TMP/all_output"
run tables --warehouse "$WH" --catalog "postgresql://$PG_USER@127.0.0.1:$PG_PORT/cat?password=wrong-$SECRET&connect_timeout=5"
expect_error "wrong password parameter" "" "password=\*\*\*"
cat "$TMP/out" "$TMP/err" >>"$TMP/all_output"
# libpq quotes the parts of a URI it cannot parse: a malformed password is masked too
run tables --warehouse "$WH" --catalog "postgresql://$PG_USER:bad%zz$SECRET@127.0.0.1:$PG_PORT/cat"
expect_error "malformed password" 1 'invalid percent-encoded token: "\*\*\*"'
cat "$TMP/out" "$TMP/err" >>"$TMP/all_output"
PGPASSWORD=$SECRET "$ICESTREAM" snapshots --json --warehouse "$WH" --catalog "postgresql://$PG_USER@127.0.0.1:$PG_PORT/cat" db.t >"$TMP/out" 2>"$TMP/err"
expect_eq "PGPASSWORD" "$?" 0
cat "$TMP/out" "$TMP/err" >>"$TMP/all_output"
PGPASSWORD=wrong-$SECRET "$ICESTREAM" tables --warehouse "$WH" --catalog "postgresql://$PG_USER@127.0.0.1:$PG_PORT/cat" >"$TMP/out" 2>"$TMP/err" &&
  fail "wrong PGPASSWORD accepted"
cat "$TMP/out" "$TMP/err" >>"$TMP/all_output"
grep -c "$SECRET" "$TMP/all_output" >/dev/null && fail "a password appears in the output: $(grep "$SECRET" "$TMP/all_output" | head -3)"
grep -q "$SECRET" "$PG_DIR/server.log" && fail "a password appears in the server log"
pgq "ALTER ROLE $PG_USER PASSWORD NULL" >/dev/null

# ---- no server there: a clear error, fast
run tables --warehouse "$WH" --catalog "postgresql://$PG_USER@127.0.0.1:1/cat"
expect_error "no server" 1 "cannot connect"

# ---- independent readers: DuckDB, icebird and avsc read a table written through it
if command -v node >/dev/null && [ -d "$INTEROP_DIR/node_modules/icebird" ]; then
  meta=$(pgq "SELECT metadata_location FROM iceberg_tables WHERE table_name = 'race'")
  node "$INTEROP_DIR/check_table.mjs" "$meta" --expect-rows $((total * 3)) --expect-jsonl "$TMP/race.jsonl" \
    >"$TMP/check.out" 2>&1 || fail "check_table db.race: $(cat "$TMP/check.out")"
  echo "interop: $(tail -1 "$TMP/check.out")"
else
  fail "icebird missing (cd tests/interop && npm ci)"
fi
finish
