#!/usr/bin/env bash
# Merge benchmarks of issue 9 (`icestream load --mode merge`), one run each:
#  1. upsert UPSERT rows (half updates, half inserts) into a ROWS-row table of ~20 data
#     files, against DuckDB computing the same result from the same Parquet (stored rows
#     anti-joined with the incoming keys, union the incoming rows, COPY to Parquet zstd,
#     1 thread): (a) updates spread over every file, copy-on-write; (b) the same with
#     write.merge.mode=merge-on-read; (c) updates clustered in 10 % of the files, CoW.
#     Ratio = DuckDB s / icestream s (wall and CPU); pyiceberg's published 17.5 min for a
#     1M-row upsert beside it. Each result is checked: row count, sum(id) and sum(qty)
#     of `icestream scan` equal DuckDB's.
#  2. locality: 1,000 keys in one data file of a 10-file vs a 200-file table (files of
#     SMALL rows each, same target size): t(200) / t(10).
#  3. memory: upsert of MEM_KEYS keys (half updates spread over the ROWS table, half
#     inserts) with --memory-limit 128M and 256M: peak RSS and time.
#  4. 1,000 updates scattered over a 50-file table (SMALL rows per file): merge time
#     copy-on-write vs merge-on-read, and `icestream scan --format csv` time after each.
#
# usage: bench/merge_vs_duckdb.sh [ROWS [UPSERT [MEM_KEYS [SMALL]]]]
#        (defaults 20000000 1000000 10000000 100000; smaller for a quick run)
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        THREADS  icestream --threads (default 1: the one-thread comparison; DuckDB
#                 runs one thread too)
#        BENCH_DIR  data kept between runs (default bench/data/merge: inputs, and each
#                   table as loaded, copied back before every merge)
#        PARTS      which of 1 2 3 4 to run (default all)
# Contenders run once each under `nice -n 5`; /usr/bin/time -v gives wall, user+sys CPU
# (the figure to trust on a shared machine) and peak RSS. DuckDB's include node (~0.4 s,
# ~50 MiB). Merge-on-read runs set write.merge.mode and write.update.mode (an update-only
# merge follows the latter). Exits 1 when an icestream result differs from DuckDB's.
# Needs `npm ci` in tests/interop.
set -euo pipefail
threads=${THREADS:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000000}
upsert=${2:-1000000}
mem_keys=${3:-10000000}
small=${4:-100000}
parts=${PARTS:-1 2 3 4}
ice=${ICESTREAM:-$here/build/icestream}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
dir=${BENCH_DIR:-$here/bench/data/merge}
mkdir -p "$dir/in" "$dir/tables"
duck() { node "$here/bench/duckdb_bench.mjs" "$@"; }
note() { echo "-- $*" >&2; }
fail=0
declare -A loc_s loc_cpu mem_s mem_cpu mem_rss

# measure CMD...: sets m_s (wall), m_cpu (user+sys) and m_rss (KiB); the command's
# stdout goes to $out (default $dir/out.txt)
measure() {
  local log=$dir/time.log
  /usr/bin/time -v -o "$log" nice -n 5 "$@" >"${out:-$dir/out.txt}" || { cat "$log" >&2; exit 1; }
  read -r m_s m_cpu m_rss < <(awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time|System time/ { c += $2 }
    /Maximum resident set size/ { r = $2 }
    END { printf "%.2f %.2f %d\n", w, c, r }' "$log")
}
jget() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$dir/out.txt" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { echo $(($1 / 1024)); }

# input NAME IDS_SQL QTY_DELTA: $dir/in/NAME.parquet (the dataset's columns for those ids)
input() {
  local f=$dir/in/$1.parquet
  [ -f "$f" ] || { note "generating $1" && duck genids "$f" "$2" "$3"; }
  echo "$f"
}

# table NAME INPUT TARGET_BYTES: loads a table once into $dir/tables/NAME.pristine
# (warehouse + catalog) with files rolled at TARGET_BYTES; prints the warehouse path.
table() {
  local wh=$dir/tables/$1
  if [ ! -d "$wh.pristine" ]; then
    note "loading table $1"
    rm -rf "$wh"
    "$ice" load --progress never --warehouse "$wh" \
      --property write.target-file-size-bytes="$3" bench.t "$2" >/dev/null
    mv "$wh" "$wh.pristine"
  fi
  echo "$wh"
}
restore() { rm -rf "$1" && cp -a "$1.pristine" "$1"; }
files_of() { echo "$1.pristine/bench/t/data/*.parquet"; } # right after the load: all live

# bounds WAREHOUSE -> one "lo hi rows" line per data file, in key order
bounds() {
  duck sql "SELECT min(id) lo, max(id) hi, count(*) n FROM read_parquet('$(files_of "$1")',
            filename = true) GROUP BY filename ORDER BY lo" |
    python3 -c 'import json,sys
for l in sys.stdin: d = json.loads(l); print(d["lo"], d["hi"], d["n"])'
}

# spread_ids FROM TO N: N ids spread evenly over [FROM, TO]
spread_ids() { echo "SELECT ($1 + range * (($2 - $1 + 1) // $3))::BIGINT AS i FROM range($3)"; }
inserts() { echo "SELECT ($rows + range)::BIGINT AS i FROM range($1)"; }

ice_merge() { # ice_merge WAREHOUSE INPUT [ARGS...]
  local wh=$1 in=$2
  shift 2
  measure "$ice" load --mode merge --merge-key id --json --progress never --threads "$threads" "$@" \
    --warehouse "$wh" bench.t "$in"
}
# ice_sums WAREHOUSE -> "rows sum(id) sum(qty)" of `icestream scan`
ice_sums() {
  "$ice" scan --warehouse "$1" --columns id,qty --format csv bench.t |
    awk -F, 'NR > 1 { n++; s += $1; q += $2 } END { printf "%d %.0f %.0f\n", n, s, q }'
}
# duck_sums SQL_FROM -> the same of a DuckDB relation
duck_sums() {
  duck sql "SELECT count(*) n, sum(id) s, sum(qty) q FROM $1" |
    python3 -c 'import json,sys; d = json.loads(sys.stdin.read()); print(d["n"], d["s"], d["q"])'
}
# merged_sql STORED_GLOB INPUT: DuckDB's upsert result
merged_sql() {
  echo "(SELECT s.* FROM read_parquet('$1') s ANTI JOIN read_parquet('$2') i ON s.id = i.id
         UNION ALL SELECT * FROM read_parquet('$2'))"
}
check() { # check LABEL ICE_SUMS EXPECTED_SUMS
  if [ "$2" = "$3" ]; then note "$1: result ok ($2)"; else
    echo "**$1: WRONG RESULT** icestream (rows sum(id) sum(qty)) = $2, expected $3" >&2
    fail=1
  fi
}
section() { # section TITLE TABLE_HEADER: a heading and the head of its table
  printf '\n## %s\n\n%s\n%s\n' "$1" "$2" "${2//[^|]/-}"
}
met() { # met VALUE >=|<=|~ TARGET (~: within TARGET of 1, e.g. 0.10)
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = op == ">=" ? v >= t : op == "<=" ? v <= t : (v - 1 <= t && 1 - v <= t)
    print (ok ? "yes" : "**no**") }'
}

# The big table: ROWS rows, ~20 files (DuckDB's zstd size is close to ours).
stored=$(input "stored_$rows" "SELECT range AS i FROM range($rows)" 0)
big_target=$(($(stat -c %s "$stored") / 20))
big=$(table "big_${rows}_$big_target" "$stored" "$big_target")
mapfile -t big_bounds < <(bounds "$big")
big_files=${#big_bounds[@]}
[ "$big_files" -gt 0 ] || { echo "no data files in $big.pristine" >&2; exit 1; }
big_bytes=$(du -cb "$big.pristine"/bench/t/data/*.parquet | tail -1 | cut -f1)
note "big table: $rows rows in $big_files data files"

# small_target: the target size that gives the 10-file table files of SMALL rows (found
# by loading it, from SMALL rows' worth of the big table's bytes; small files pay more per
# row for dictionaries and footers). Kept in $dir.
small_target() {
  local f=$dir/small_target_$small t n src wh
  if [ ! -f "$f" ]; then
    t=$((big_bytes * small / rows))
    src=$(input "stored_$((10 * small))" "SELECT range AS i FROM range($((10 * small)))" 0)
    for _ in 1 2 3 4 5 6 7 8; do
      wh=$(table "loc10_${small}_$t" "$src" "$t")
      n=$(bounds "$wh" | wc -l)
      [ "$n" -eq 10 ] && break
      rm -rf "$wh.pristine"
      if [ "$n" -eq 11 ]; then t=$((t * 103 / 100)); else t=$((t * n / 10)); fi
    done
    [ "$n" -eq 10 ] || note "no target size gives 10 files of $small rows; using $t ($n files)"
    echo "$t" >"$f"
  fi
  cat "$f"
}
mor() { # mor WAREHOUSE MODE: merges (and update-only merges) copy-on-write or merge-on-read
  "$ice" alter --warehouse "$1" bench.t --set-property "write.merge.mode=$2" \
    --set-property "write.update.mode=$2" >/dev/null
}

echo "# merge benchmarks: $(date -u +%F), $(cd "$here" && git rev-parse --short HEAD), rows=$rows upsert=$upsert mem_keys=$mem_keys small=$small, load $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ " $parts " == *" 1 "* ]]; then
  half=$((upsert / 2))
  spread=$(input "spread_${rows}_$upsert" "$(spread_ids 0 $((rows - 1)) $half) UNION ALL $(inserts $half)" 1)
  k=$((big_files / 10))
  read -r c_lo _ _ <<<"${big_bounds[0]}"
  read -r _ c_hi _ <<<"${big_bounds[k - 1]}"
  cluster=$(input "cluster_${rows}_${upsert}_$k" "$(spread_ids "$c_lo" "$c_hi" $half) UNION ALL $(inserts $half)" 1)
  section "1. upsert $upsert rows ($half updates, $half inserts) into $rows rows, $big_files data files" \
    "| case | files scanned / rewritten / delete files | icestream s (CPU) | icestream RSS MiB | DuckDB s (CPU) | DuckDB RSS MiB | ratio wall | ratio CPU | target | met | pyiceberg 17.5 min / icestream |"
  for c in a b c; do
    in=$spread dk=spread
    [ "$c" = c ] && in=$cluster dk=cluster
    if [ "$c" != b ]; then # DuckDB does the same work for a and b
      rm -f "$dir/duck.parquet"
      measure node "$here/bench/duckdb_bench.mjs" sql \
        "COPY $(merged_sql "$(files_of "$big")" "$in") TO '$dir/duck.parquet' (FORMAT parquet, COMPRESSION zstd)"
      d_s=$m_s d_cpu=$m_cpu d_rss=$m_rss
      d_sums=$(duck_sums "'$dir/duck.parquet'")
      rm -f "$dir/duck.parquet"
    fi
    restore "$big"
    [ "$c" = b ] && mor "$big" merge-on-read
    ice_merge "$big" "$in"
    i_s=$m_s i_cpu=$m_cpu i_rss=$m_rss
    files="$(jget files_scanned) / $(jget files_rewritten) / $(jget delete_files_added)"
    check "1$c" "$(ice_sums "$big")" "$d_sums"
    case $c in a) want=1.0 what="CoW, updates in every file" ;; b) want=5 what="MoR, updates in every file" ;;
      c) want=4 what="CoW, updates in $k of $big_files files" ;; esac
    rc=$(ratio "$d_cpu" "$i_cpu")
    echo "| ($c) $what ($dk) | $files | $i_s ($i_cpu) | $(mib "$i_rss") | $d_s ($d_cpu) | $(mib "$d_rss") | $(ratio "$d_s" "$i_s") | $rc | >= ${want}x | $(met "$rc" ">=" "$want") | $(ratio 1050 "$i_s")x |"
  done
  rm -rf "$big"
fi

if [[ " $parts " == *" 2 "* ]]; then
  small_target=$(small_target)
  section "2. locality: 1,000 updates in one data file, files of ~$small rows (target $small_target bytes)" \
    "| table | data files | rows | files scanned / rewritten | icestream s (CPU) | RSS MiB |"
  for n in 10 200; do
    src=$(input "stored_$((n * small))" "SELECT range AS i FROM range($((n * small)))" 0)
    wh=$(table "loc${n}_${small}_$small_target" "$src" "$small_target")
    mapfile -t b < <(bounds "$wh")
    read -r lo hi _ <<<"${b[${#b[@]} / 2]}"
    in=$(input "loc${n}_${small}_${lo}_$hi" "$(spread_ids "$lo" "$hi" 1000)" 1)
    restore "$wh"
    ice_merge "$wh" "$in"
    s=$m_s cpu=$m_cpu rss=$m_rss
    echo "| $n-file | ${#b[@]} | $((n * small)) | $(jget files_scanned) / $(jget files_rewritten) | $s ($cpu) | $(mib "$rss") |"
    loc_s[$n]=$s loc_cpu[$n]=$cpu
    rm -rf "$wh"
  done
  r=$(ratio "${loc_cpu[200]}" "${loc_cpu[10]}")
  echo
  echo "200-file / 10-file: wall $(ratio "${loc_s[200]}" "${loc_s[10]}")x, CPU ${r}x (target <= 1.5x: $(met "$r" "<=" 1.5))"
fi

if [[ " $parts " == *" 3 "* ]]; then
  half=$((mem_keys / 2))
  in=$(input "mem_${rows}_$mem_keys" "$(spread_ids 0 $((rows - 1)) $half) UNION ALL $(inserts $half)" 1)
  want=$(duck_sums "$(merged_sql "$(files_of "$big")" "$in")")
  section "3. memory: upsert of $mem_keys keys ($half updates over all $big_files files, $half inserts), copy-on-write" \
    "| --memory-limit | icestream s (CPU) | peak RSS MiB | budget peak MiB | files rewritten | result |"
  for lim in 128M 256M; do
    restore "$big"
    ice_merge "$big" "$in" --memory-limit "$lim"
    s=$m_s cpu=$m_cpu rss=$m_rss
    mem_s[$lim]=$s mem_cpu[$lim]=$cpu mem_rss[$lim]=$rss
    peak=$(($(jget memory_peak_bytes) / 1048576))
    rewritten=$(jget files_rewritten)
    got=$(ice_sums "$big")
    check "3 $lim" "$got" "$want"
    echo "| $lim | $s ($cpu) | $(mib "$rss") | $peak | $rewritten | $([ "$got" = "$want" ] && echo ok || echo '**wrong**') |"
  done
  rm -rf "$big"
  r=$(ratio "${mem_cpu[128M]}" "${mem_cpu[256M]}")
  echo
  echo "peak RSS at 128M: $(mib "${mem_rss[128M]}") MiB (target <= 192: $(met "$(mib "${mem_rss[128M]}")" "<=" 192));" \
    "time 128M / 256M: wall $(ratio "${mem_s[128M]}" "${mem_s[256M]}")x, CPU ${r}x (target within 10 %: $(met "$r" "~" 0.10))"
fi

if [[ " $parts " == *" 4 "* ]]; then
  small_target=$(small_target)
  n50=$((50 * small))
  src=$(input "stored_$n50" "SELECT range AS i FROM range($n50)" 0)
  wh=$(table "m50_${small}_$small_target" "$src" "$small_target")
  nfiles=$(bounds "$wh" | wc -l)
  in=$(input "scatter_$n50" "$(spread_ids 0 $((n50 - 1)) 1000)" 1)
  want=$(duck_sums "$(merged_sql "$(files_of "$wh")" "$in")")
  section "4. 1,000 updates scattered over $nfiles data files ($n50 rows): copy-on-write vs merge-on-read" \
    "| mode | files rewritten / delete files | merge s (CPU) | merge RSS MiB | scan s (CPU) | scan RSS MiB |"
  scan() { out=/dev/null measure "$ice" scan --warehouse "$wh" --format csv bench.t; }
  restore "$wh"
  scan
  echo "| before the merge | - | - | - | $m_s ($m_cpu) | $(mib "$m_rss") |"
  for mode in copy-on-write merge-on-read; do
    restore "$wh"
    mor "$wh" "$mode"
    ice_merge "$wh" "$in"
    s=$m_s cpu=$m_cpu rss=$m_rss files="$(jget files_rewritten) / $(jget delete_files_added)"
    scan
    check "4 $mode" "$(ice_sums "$wh")" "$want"
    echo "| $mode | $files | $s ($cpu) | $(mib "$rss") | $m_s ($m_cpu) | $(mib "$m_rss") |"
  done
  rm -rf "$wh"
fi
exit $fail
