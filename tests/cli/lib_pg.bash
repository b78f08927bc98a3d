# A private PostgreSQL server for tests/cli/*postgres*.sh (sourced after lib_cli.bash
# and lib_load.bash): initdb into $TMP/pg, a unix socket in $TMP/pgsock and a loopback
# port, stopped and removed when the script exits. As root (CI) the server runs as the
# postgres user the Debian package creates, since initdb refuses root.
# Sets PG_BIN, PG_PORT, PG_SOCK, PG_URI (socket, trust auth; database "cat") and PG_USER.
# PG_FSYNC=on makes commits durable (benchmarks); tests run with fsync off.
PG_USER=icestream

pg_stop() {
  [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/postmaster.pid" ] &&
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}

pg_start() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "FAIL: no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
  PG_DIR=$TMP/pg
  PG_SOCK=$TMP/pgsock
  PG_AS=()
  mkdir -p "$PG_DIR" "$PG_SOCK"
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    chmod 755 "$TMP"
    chown "$user" "$PG_DIR" "$PG_SOCK"
    PG_AS=(runuser -u "$user" --)
  fi
  trap pg_stop EXIT
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR" -U "$PG_USER" -E UTF8 --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$TMP/initdb.log" 2>&1 ||
    { echo "FAIL: initdb: $(tail -5 "$TMP/initdb.log")" >&2; exit 1; }
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-k $PG_SOCK -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=60" \
    start >/dev/null 2>&1 ||
    { echo "FAIL: pg_ctl start: $(tail -5 "$PG_DIR/server.log" 2>/dev/null)" >&2; exit 1; }
  psql_do -d postgres -c "CREATE DATABASE cat" >/dev/null ||
    { echo "FAIL: CREATE DATABASE" >&2; exit 1; }
  PG_URI="postgresql://$PG_USER@/cat?host=$PG_SOCK&port=$PG_PORT"
}

# psql_do ARGS...: psql over the socket as the superuser (database cat unless -d given).
psql_do() {
  local db=(-d cat)
  [ "${1:-}" = -d ] && db=()
  psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U "$PG_USER" "${db[@]}" "$@"
}

# pgq SQL: one value (unaligned, no header) from the cat database.
pgq() {
  psql_do -At -c "$1"
}

# Helpers of lib_load.bash, through the PostgreSQL catalog.
pg_snapcount() {
  "$ICESTREAM" snapshots --json --warehouse "$WH" --catalog "$PG_URI" "$1" >"$TMP/snaps.json" 2>/dev/null || { echo x; return; }
  jget "$TMP/snaps.json" "len(d)"
}
pg_summary() {
  "$ICESTREAM" snapshots --json --warehouse "$WH" --catalog "$PG_URI" "$1" >"$TMP/snaps.json" 2>/dev/null || { echo x; return; }
  jget "$TMP/snaps.json" "d[-1]['summary'].get('$2', '-') if d else '-'"
}
pg_rowcount() {
  "$ICESTREAM" scan --warehouse "$WH" --catalog "$PG_URI" "$1" 2>"$TMP/scan.err" | wc -l | tr -d ' '
}
