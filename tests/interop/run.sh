#!/usr/bin/env bash
# Runs the interop checks (independent readers from npm against what icestream reads and
# writes) with $ICESTREAM, the binary under test; fails when any check reports a
# mismatch. Needs `npm ci` here first (scripts/check.sh does it). Each check:
#   compare_parquet.mjs  icestream cat vs DuckDB / arrow-rs on every Parquet file we have
#   check_writer.mjs     icestream rewrite output read by DuckDB, parquet-wasm, hyparquet
#   check_avro.mjs       test_avro_ocf's Avro files (from $ICESTREAM's build dir) via avsc
#   check_table.mjs      a table written by `icestream load`, read by avsc/DuckDB/icebird
#   check_rest_commit.mjs test_iceberg_updates_rest's CommitTableRequest JSON vs the REST
#                        OpenAPI schemas (ajv)
#   check_partition_keys.mjs  partition keys test_writer_partition_spark computes for
#                        random rows vs lib_partition.mjs (runs in the loop below)
# (verify_table.mjs needs a table to check: tests/cli/load_spark_interop.sh runs it;
# check_partitions.mjs likewise: tests/cli/partition_check_interop.sh; check_evolved.mjs:
# tests/cli/load_schema_evolution.sh, table_alter_schema.sh.)
# A script added here without a line in this file still runs if it needs no arguments.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${ICESTREAM:?set ICESTREAM to the icestream binary}"
ICESTREAM=$(cd "$(dirname "$ICESTREAM")" && pwd)/$(basename "$ICESTREAM")
export ICESTREAM
BUILD=$(dirname "$ICESTREAM")
export ICE_TEST_DATA_DIR=${ICE_TEST_DATA_DIR:-$(cd "$here/../data" && pwd)}
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  echo "run.sh: $here/node_modules missing: run 'npm ci' in tests/interop first" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"

failed=()
step() { # step NAME COMMAND...: runs one check, remembers a failure
  local name=$1
  shift
  echo "== interop: $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

avro_check() {
  if [ ! -x "$BUILD/test_avro_ocf" ]; then
    echo "check_avro: $BUILD/test_avro_ocf not built" >&2
    return 1
  fi
  mkdir -p "$tmp/avro"
  ICE_AVRO_INTEROP_DIR="$tmp/avro" "$BUILD/test_avro_ocf" >/dev/null || return 1
  node check_avro.mjs "$tmp/avro"
}

rest_check() {
  if [ ! -x "$BUILD/test_iceberg_updates_rest" ]; then
    echo "check_rest_commit: $BUILD/test_iceberg_updates_rest not built" >&2
    return 1
  fi
  mkdir -p "$tmp/rest"
  ICE_REST_INTEROP_DIR="$tmp/rest" "$BUILD/test_iceberg_updates_rest" >/dev/null || return 1
  node check_rest_commit.mjs "$tmp/rest"
}

table_check() {
  # two files of one schema (Impala alltypes: INT96 timestamps, dictionary and plain
  # pages), 7300 rows each, loaded as one snapshot
  local wh=$tmp/warehouse data=$ICE_TEST_DATA_DIR/parquet-testing/data meta
  "$ICESTREAM" load --warehouse "$wh" interop.alltypes "$data/alltypes_tiny_pages.parquet" \
    "$data/alltypes_tiny_pages_plain.parquet" >/dev/null || return 1
  meta=$("$ICESTREAM" describe --json --warehouse "$wh" interop.alltypes |
    sed -n 's/.*"metadata-location": *"\([^"]*\)".*/\1/p')
  if [ -z "$meta" ]; then
    echo "check_table: no metadata-location in 'icestream describe --json'" >&2
    return 1
  fi
  node check_table.mjs "$meta" --expect-rows 14600 || return 1
  # every primitive type with nulls, NaN, -0.0, 64-bit/decimal(38,10) extremes and long
  # strings/binary, appended in two loads (two manifests, two data files): check_table
  # compares each file's bounds and counts with DuckDB, and the rows with `icestream scan`
  node --input-type=module -e "
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { writeMetricsTestFile } = await import('./lib_iceberg_bounds.mjs');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await writeMetricsTestFile(db, '$tmp/metrics1.parquet', 3000, 0);
    await writeMetricsTestFile(db, '$tmp/metrics2.parquet', 2000, 5000);" || return 1
  "$ICESTREAM" load --warehouse "$wh" interop.metrics "$tmp/metrics1.parquet" >/dev/null || return 1
  "$ICESTREAM" load --warehouse "$wh" interop.metrics "$tmp/metrics2.parquet" >/dev/null || return 1
  meta=$("$ICESTREAM" describe --json --warehouse "$wh" interop.metrics |
    sed -n 's/.*"metadata-location": *"\([^"]*\)".*/\1/p')
  "$ICESTREAM" scan --warehouse "$wh" interop.metrics >"$tmp/metrics.jsonl" || return 1
  node check_table.mjs "$meta" --expect-rows 5000 --expect-jsonl "$tmp/metrics.jsonl"
}

step compare_parquet node compare_parquet.mjs
[ -f check_writer.mjs ] && step check_writer node check_writer.mjs
[ -f check_avro.mjs ] && step check_avro avro_check
[ -f check_table.mjs ] && step check_table table_check
[ -f check_rest_commit.mjs ] && step check_rest_commit rest_check
for script in *.mjs; do
  case "$script" in
    lib_*|compare_parquet.mjs|check_writer.mjs|check_avro.mjs|check_table.mjs) continue ;;
    check_rest_commit.mjs) continue ;;
    verify_table.mjs) continue ;; # run by tests/cli/load_spark_interop.sh
    check_scan.mjs) continue ;;   # run by tests/cli/scan_deletes_interop.sh
    check_partitions.mjs) continue ;; # run by tests/cli/partition_check_interop.sh
    check_pos_deletes.mjs) continue ;; # run by tests/cli/pos_deletes_interop.sh
    check_evolved.mjs) continue ;; # run by tests/cli/load_schema_evolution.sh and others
    list_live_files.mjs) continue ;;   # a helper of tests/cli/load_merge_prune.sh
    partition_rows.mjs) continue ;;    # a helper of tests/cli/load_overwrite_partitions.sh
    gen_shapes.mjs) continue ;;   # an input generator (tests/cli/load_memory_limit.sh, bench)
    rest_iceberg_js.mjs|rest_proxy.mjs) continue ;; # run by tests/cli/rest_serve.sh and lib_rest.bash
    rest_iceberg_js_admin.mjs) continue ;; # run by tests/cli/rest_serve_purge.sh
  esac
  step "${script%.mjs}" node "$script"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "interop: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "interop: all checks passed"
