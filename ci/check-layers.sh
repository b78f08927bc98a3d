#!/usr/bin/env bash
# Fails when an #include points upward in the layer map (docs/internals/LAYERS.md):
# a module may include only itself, the modules below it, and include/ice/*.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [util]="util"
  [io]="util io"
  [codec]="util codec"
  [thrift]="util thrift"
  [arrow]="util arrow"
  [parquet]="util io codec thrift arrow parquet"
  [avro]="util io codec avro"
  [iceberg]="util io codec avro arrow iceberg"
  [writer]="util io codec thrift arrow parquet avro iceberg writer"
  [catalog]="util io codec avro arrow iceberg catalog"
  [ops]="util io codec thrift arrow parquet avro iceberg writer catalog ops"
  [api]="util io codec thrift arrow parquet avro iceberg writer catalog ops api"
)
status=0
for dir in src/*/; do
  mod=$(basename "$dir")
  for f in "$dir"*.[ch]; do
    [ -e "$f" ] || continue
    while IFS= read -r inc; do
      target=${inc%%/*}
      case "$target" in ice) continue ;; esac
      if [ "$mod" = cli ]; then
        echo "layer violation: $f includes \"$inc\" (the CLI may include only ice/*.h)"
        status=1
        continue
      fi
      if [[ " ${allowed[$mod]:-} " != *" $target "* ]]; then
        echo "layer violation: $f ($mod) includes \"$inc\" ($target)"
        status=1
      fi
    done < <(grep -hoE '^#include "[^"]+"' "$f" | sed -E 's/#include "([^"]+)"/\1/' | grep '/' || true)
  done
done
[ $status -eq 0 ] && echo "check-layers: ok"
exit $status
