#!/usr/bin/env bash
# Fails when code outside src/io/ touches storage itself: every table file is read,
# written, deleted and listed through the FileIO (src/io/io_fileio.h), which applies
# the location map and the write roots. Usage: check-storage.sh [ROOT] (default: the
# repository this script is in).
#
# Two places may still use local files directly, because they are not table storage:
# - src/cli/load_inputs.c expands the input paths given on the command line (the CLI
#   sees only the public API, which has no FileIO);
# - src/parquet/ (the public ice_parquet_open/ice_parquet_writer_open on a caller's
#   path) and src/catalog/ (the SQLite catalog file and its warehouse folder) may call
#   the local io_local_* functions, never the raw ones below.
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"
status=0

# reject PATTERN MESSAGE EXEMPT...: fails when src/ outside the EXEMPT path prefixes
# has a line (not a comment) matching the grep -E PATTERN.
reject() {
  local pattern=$1 message=$2 hits
  shift 2
  local exempt=(-e '^src/io/')
  for e in "$@"; do exempt+=(-e "^$e"); done
  hits=$(grep -rnE "$pattern" src --include='*.c' --include='*.h' | grep -v "${exempt[@]}" \
    | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)
  if [ -n "$hits" ]; then
    echo "$hits"
    echo "check-storage: $message"
    status=1
  fi
}

reject '(^|[^_a-zA-Z0-9.>])(remove|unlink|unlinkat|rmdir|mkdir|mkdirat|fopen|freopen|opendir|fdopendir|scandir|rename|renameat|creat|nftw|ftw)[[:space:]]*\(' \
  "file-system call outside src/io/ (use the FileIO, io_fileio.h)" 'src/cli/load_inputs\.c:'
reject '\bio_local_[a-z_]+[[:space:]]*\(' \
  "local storage picked outside src/io/ (table files go through the FileIO, io_fileio.h)" \
  'src/parquet/' 'src/catalog/'

[ $status -eq 0 ] && echo "check-storage: ok"
exit $status
