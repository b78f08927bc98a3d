#!/usr/bin/env bash
# Fails when an #include breaks the layer map of docs/internals/LAYERS.md (its ```layers
# block is read here, so the document and the check cannot drift apart): a module may
# include itself, the modules below it (transitively), include/ice/*.h and system
# headers; public headers include only ice/*.h; no ".." in includes of ours.
set -euo pipefail
cd "$(dirname "$0")/.."

map=docs/internals/LAYERS.md
declare -A direct=()
while IFS= read -r line; do
  mod=${line%%:*}
  direct[$mod]=${line#*:}
done < <(awk '/^```layers$/ {on=1; next} /^```$/ {on=0} on && NF' "$map")
[ ${#direct[@]} -gt 0 ] || { echo "check-layers: no \`\`\`layers block in $map" >&2; exit 1; }

declare -A allowed=()
closure() { # MODULE: itself and everything below it
  local m=$1 out=" $1 " d
  local todo=(${direct[$m]})
  while [ ${#todo[@]} -gt 0 ]; do
    d=${todo[0]}
    todo=("${todo[@]:1}")
    [[ "$out" == *" $d "* ]] && continue
    [ -n "${direct[$d]+x}" ] || { echo "check-layers: $m builds on unknown module '$d'" >&2; exit 1; }
    out+="$d "
    todo+=(${direct[$d]})
  done
  echo "$out"
}
for m in "${!direct[@]}"; do allowed[$m]=$(closure "$m"); done

status=0
# "dir/file.h" or <dir/file.h> whose dir is one of our modules (or ice), and any "..".
ours() {
  grep -HnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' "$@" |
    sed -E 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"]$/:\1/'
}
for dir in src/*/; do
  mod=$(basename "$dir")
  if [ -z "${direct[$mod]+x}" ]; then
    echo "layer violation: src/$mod is not in the layer map ($map)"
    status=1
    continue
  fi
  files=("$dir"*.[ch])
  [ -e "${files[0]}" ] || continue
  while IFS= read -r hit; do
    where=${hit%:*}
    inc=${hit##*:}
    if [[ "$inc" == *..* ]]; then
      echo "layer violation: $where includes \"$inc\" (no .. in includes)"
      status=1
      continue
    fi
    [[ "$inc" == */* ]] || continue # own module's header, or a system header
    target=${inc%%/*}
    [ "$target" = ice ] && continue
    [ -n "${direct[$target]+x}" ] || continue # a system or library header (sys/, brotli/)
    if [[ "${allowed[$mod]}" != *" $target "* ]]; then
      echo "layer violation: $where ($mod) includes \"$inc\" ($target is not below $mod)"
      status=1
    fi
  done < <(ours "${files[@]}")
done
while IFS= read -r hit; do
  where=${hit%:*}
  inc=${hit##*:}
  target=${inc%%/*}
  if [[ "$inc" == *..* ]] || { [[ "$inc" == */* ]] && [ -n "${direct[$target]+x}" ]; }; then
    echo "layer violation: public header $where includes \"$inc\" (only ice/*.h)"
    status=1
  fi
done < <(ours include/ice/*.h)
[ $status -eq 0 ] && echo "check-layers: ok"
exit $status
