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

raw='(^|[^_a-zA-Z0-9.>])(remove|unlink|unlinkat|rmdir|mkdir|mkdirat|fopen|freopen|opendir|fdopendir|scandir|rename|renameat|creat|nftw|ftw)[[:space:]]*\('
hits=$(grep -rnE "$raw" src --include='*.c' --include='*.h' \
  | grep -v -e '^src/io/' -e '^src/cli/load_inputs\.c:' \
  | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)
if [ -n "$hits" ]; then
  echo "$hits"
  echo "check-storage: file-system call outside src/io/ (use the FileIO, io_fileio.h)"
  status=1
fi

local_io='\bio_local_[a-z_]+[[:space:]]*\('
hits=$(grep -rnE "$local_io" src --include='*.c' --include='*.h' \
  | grep -v -e '^src/io/' -e '^src/parquet/' -e '^src/catalog/' \
  | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)
if [ -n "$hits" ]; then
  echo "$hits"
  echo "check-storage: local storage picked outside src/io/ (table files go through the FileIO, io_fileio.h)"
  status=1
fi

[ $status -eq 0 ] && echo "check-storage: ok"
exit $status
