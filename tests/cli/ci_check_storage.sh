#!/usr/bin/env bash
# ci/check-storage.sh: passes on this repository, and fails on a copy of its src/ with a
# file-system call or a local-storage call planted outside src/io/ (each naming the
# file), while the same calls inside src/io/, the exempt places and comments pass.
source "$(dirname "$0")/lib_cli.bash"
SRC=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CHECK=$SRC/ci/check-storage.sh

bash "$CHECK" >"$TMP/out" 2>&1 || fail "check-storage fails on the repository: $(cat "$TMP/out")"

# check_tree WHAT WANT_STATUS FILE LINE: plants LINE in FILE of a copy of src/.
check_tree() {
  local what=$1 want=$2 file=$3 line=$4
  rm -rf "$TMP/tree" && mkdir -p "$TMP/tree" && cp -r "$SRC/src" "$TMP/tree/src"
  mkdir -p "$(dirname "$TMP/tree/$file")"
  printf '%s\n' "$line" >>"$TMP/tree/$file"
  local got=0
  bash "$CHECK" "$TMP/tree" >"$TMP/out" 2>&1 || got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: status $got, want $want: $(head -c 300 "$TMP/out")"
  elif [ "$want" -ne 0 ] && ! grep -q "^$file:" "$TMP/out"; then
    fail "$what: the failure does not name $file: $(head -c 300 "$TMP/out")"
  fi
}

for fn in 'unlink(p)' 'remove(p)' 'rmdir(p)' 'mkdir(p, 0777)' 'fopen(p, "r")' 'opendir(p)' \
          'rename(p, q)'; do
  check_tree "$fn in src/ops" 1 src/ops/op_planted.c "static void f(void) { $fn; }"
done
check_tree "unlink in src/api" 1 src/api/api_scan.c 'static void g(void) { unlink(p); }'
check_tree "io_local_create in src/ops" 1 src/ops/op_commit.c \
  'static int h(void) { return io_local_create(p, &o, NULL); }'
check_tree "io_local_open_read in src/iceberg" 1 src/iceberg/ib_planted.c \
  'static int h(void) { return io_local_open_read(p, &i, NULL); }'
check_tree "unlink in src/io" 0 src/io/io_planted.c 'static void f(void) { unlink(p); }'
check_tree "opendir in load_inputs.c" 0 src/cli/load_inputs.c 'static void f(void) { opendir(p); }'
check_tree "io_local_open_read in src/parquet" 0 src/parquet/pq_planted.c \
  'static int h(void) { return io_local_open_read(p, &i, NULL); }'
check_tree "a comment naming unlink()" 0 src/ops/op_commit.c '/* never unlink() here */'
check_tree "a member named remove" 0 src/ops/op_commit.c 'static void f(void) { s->remove(p); }'

finish
