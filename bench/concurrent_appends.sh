#!/usr/bin/env bash
# Concurrent appends with the default commit.retry.* policy: PROCS processes each run
# LOADS appends of one small Parquet file into one table at the same time. Prints how
# many landed, whether the rows are exact, the wall time, and the attempts per load
# (median, max) from each load's --json output. Usage:
#   bench/concurrent_appends.sh [PROCS] [LOADS]     (default 8 10; release build/icestream)
# CATALOG=postgresql runs it through a private PostgreSQL server (tests/cli/lib_pg.bash,
# fsync on) instead of the SQLite file.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ICESTREAM=${ICESTREAM:-$ROOT/build/icestream}
IN=${IN:-$ROOT/../shared/testdata/parquet-testing/data/alltypes_plain.parquet} # 8 rows
PROCS=${1:-8}
LOADS=${2:-10}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
WH=$TMP/wh
CAT=(--warehouse "$WH")
if [ "${CATALOG:-sqlite}" = postgresql ]; then
  source "$ROOT/tests/cli/lib_pg.bash"
  PG_FSYNC=on pg_start
  CAT+=(--catalog "$PG_URI")
fi
"$ICESTREAM" load "${CAT[@]}" db.t "$IN" >/dev/null || exit 1
start=$(date +%s.%N)
for p in $(seq "$PROCS"); do
  (
    for i in $(seq "$LOADS"); do
      "$ICESTREAM" load --json "${CAT[@]}" db.t "$IN" >"$TMP/out.$p.$i" 2>"$TMP/err.$p.$i"
    done
  ) &
done
wait
secs=$(echo "$(date +%s.%N) - $start" | bc)
rows=$("$ICESTREAM" scan "${CAT[@]}" db.t | wc -l)
python3 - "$TMP" "$PROCS" "$LOADS" "$rows" "$secs" <<'PY'
import glob, json, statistics, sys
tmp, procs, loads, rows, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
att = []
for f in glob.glob(tmp + "/out.*"):
    try:
        att.append(json.load(open(f))["attempts"])
    except Exception:
        pass
want = 8 * (1 + len(att))  # the setup load plus every load that landed
print(f"{procs}x{loads}: {len(att)}/{procs*loads} landed, rows {rows} (want {want}, "
      f"{'exact' if rows == want else 'WRONG'}), {secs:.1f} s, attempts median "
      f"{statistics.median(att) if att else '-'} max {max(att) if att else '-'}")
PY
