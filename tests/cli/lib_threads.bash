# Helpers for the --threads equivalence tests (tests/cli/load*_threads.sh; sourced after
# lib_cli.bash, lib_load.bash and lib_duckdb.bash): a snapshot's manifest entries read
# with avsc (not our Avro code) and pairwise comparison of written Parquet files.

# entries WAREHOUSE TABLE: the current snapshot's manifest entries (status and data_file)
# without the paths, sorted (JSON lines).
entries() {
  local meta
  meta=$(WH=$1 metadata_of "$2")
  node --input-type=module - "$INTEROP_DIR" "${meta#file:}" <<'JS'
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const [interop, metaPath] = process.argv.slice(2);
const avro = createRequire(interop + '/package.json')('avsc');
const { bigLongParseHook } = await import(interop + '/lib_avro_long.mjs');
const read = (p) => new Promise((ok, bad) => {
  const out = [];
  avro.createFileDecoder(p.replace(/^file:/, ''), { parseHook: bigLongParseHook })
    .on('data', (r) => out.push(r))
    .on('error', bad).on('end', () => ok(out));
});
const md = JSON.parse(readFileSync(metaPath, 'utf8')
  .replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
const snap = md.snapshots.find((s) => String(s['snapshot-id']) === String(md['current-snapshot-id']));
const rows = [];
for (const m of await read(snap['manifest-list'])) {
  for (const e of await read(m.manifest_path)) {
    const df = { status: e.status, ...e.data_file };
    delete df.file_path;
    rows.push(JSON.stringify(df, (k, v) => typeof v === 'bigint' ? String(v)
      : v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v));
  }
}
console.log(rows.sort().join('\n'));
JS
}

# same_files DIR1 DIR2 WHAT: the Parquet files under each, in name order, pairwise equal.
same_files() {
  local a b n1 n2
  mapfile -t a < <(find "$1" -name '*.parquet' | sort)
  mapfile -t b < <(find "$2" -name '*.parquet' | sort)
  n1=${#a[@]}
  n2=${#b[@]}
  [ "$n1" -ge "${4:-2}" ] || fail "$3: $n1 data files, expected at least ${4:-2}"
  expect_eq "$3: data files" "$n2" "$n1"
  for ((k = 0; k < n1 && k < n2; k++)); do
    cmp -s "${a[k]}" "${b[k]}" || fail "$3: ${a[k]##*/} and ${b[k]##*/} differ"
  done
}
