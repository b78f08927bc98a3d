// SPDX-License-Identifier: Apache-2.0
// list_live_files.mjs - the live entries (status != DELETED) of a table's current
// snapshot, read with avsc (an Avro implementation that is not ours), one JSON line
// each: {"path", "content" (0 data, 1 position deletes, 2 equality deletes), "status"
// (0 existing, 1 added), "records", "ref" (referenced_data_file or null)}.
//
//   node list_live_files.mjs METADATA_JSON
//
// Metadata locations may be file: URIs; they are read from the local disk.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const avro = createRequire(join(here, 'package.json'))('avsc');
const { localResolver } = await import('./lib_local_fetch.mjs');
const { bigLongParseHook } = await import('./lib_avro_long.mjs');

const metaPath = process.argv[2];
if (!metaPath) {
  console.error('usage: node list_live_files.mjs METADATA_JSON');
  process.exit(2);
}
const local = localResolver([]);
const readAvro = (p) => new Promise((resolve, reject) => {
  const out = [];
  avro.createFileDecoder(local(p), { parseHook: bigLongParseHook })
    .on('data', (r) => out.push(r)).on('error', reject).on('end', () => resolve(out));
});

// Snapshot ids use all 63 bits: keep them as text rather than rounded doubles.
const md = JSON.parse(readFileSync(local(metaPath), 'utf8')
  .replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
const snap = (md.snapshots || []).find((s) => String(s['snapshot-id']) === String(md['current-snapshot-id']));
if (snap) {
  for (const m of await readAvro(snap['manifest-list'])) {
    for (const e of await readAvro(m.manifest_path)) {
      if (e.status === 2) continue;
      const df = e.data_file;
      console.log(JSON.stringify({
        path: df.file_path, content: df.content ?? 0, status: e.status,
        records: Number(df.record_count), ref: df.referenced_data_file ?? null,
      }));
    }
  }
}
