#!/usr/bin/env bash
# A catalog that cannot be written is a definite failure, not a conflict: the load fails
# at once (no retries), deletes every file it wrote, and leaves the table as it was.
# Tests run as root, for whom chmod does not make a file read-only, so the catalog is
# made immutable with chattr +i (or, for other users, chmod a-w).
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
IN=$P/alltypes_plain.parquet

run load --warehouse "$WH" db.t "$IN"
expect_ok "setup load"
meta=$(metadata_of db.t)
(cd "$WH" && find . -type f | sort) >"$TMP/before"

protect() {
  if [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$WH/catalog.db"
  else
    chattr +i "$WH/catalog.db" 2>/dev/null
  fi
}
unprotect() {
  chattr -i "$WH/catalog.db" 2>/dev/null
  chmod u+w "$WH/catalog.db"
}
if ! protect; then
  echo "note: cannot make the catalog read-only here (no chattr +i); checks skipped"
  finish
  exit 0
fi
trap 'unprotect; rm -rf "$TMP"' EXIT

start=$(date +%s%N)
run load --warehouse "$WH" db.t "$IN"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_error "append into a read-only catalog" 1 "catalog.db: commit: .*readonly"
grep -q "attempts" "$TMP/err" && fail "read-only catalog was retried: $(cat "$TMP/err")"
[ "$ms" -lt 5000 ] || fail "read-only catalog took $ms ms to fail"

run load --warehouse "$WH" --mode replace db.t "$IN"
expect_error "replace into a read-only catalog" 1 "readonly"
run load --warehouse "$WH" db.new "$IN"
expect_error "new table in a read-only catalog" 1 "readonly"

(cd "$WH" && find . -type f | sort) >"$TMP/after"
diff "$TMP/before" "$TMP/after" >&2 || fail "failed loads left files behind"
[ -e "$WH/db/new" ] && fail "failed create left $WH/db/new: $(find "$WH/db/new")"

unprotect
expect_eq "table unchanged" "$(metadata_of db.t)" "$meta"
expect_eq "rows unchanged" "$(rowcount db.t)" 8
run load --warehouse "$WH" db.t "$IN"
expect_ok "load after the catalog is writable again"
expect_eq "rows after" "$(rowcount db.t)" 16
finish
