// lib_local_fetch.mjs - lets readers that fetch URLs (icebird) read a table from disk.
//
// localResolver(maps) turns a location into a local path: the first PREFIX=DIR map entry
// that matches (an s3://BUCKET... or s3a://BUCKET... prefix also matches the
// https://BUCKET.s3.amazonaws.com... URL icebird makes of it), then file:// and file:
// URIs (percent-decoded, unless only the undecoded path exists); anything else is
// returned as it is. installLocalFetch(local, maps) replaces
// globalThis.fetch so that such locations (and absolute paths) are served from disk,
// with HEAD and Range support; other URLs go to the real fetch.
import { existsSync, readFileSync } from 'node:fs';

export function withS3Urls(maps) {
  const all = [...maps];
  for (const [a, b] of maps) {
    const m = /^s3a?:\/\/([^/]+)(.*)$/.exec(a);
    if (m) all.push([`https://${m[1]}.s3.amazonaws.com${m[2]}`, b]);
  }
  return all;
}

export function localResolver(maps) {
  const all = withS3Urls(maps);
  return (p) => {
    for (const [a, b] of all) if (p.startsWith(a)) return b + p.slice(a.length);
    const raw = p.startsWith('file://') ? p.slice(7) : p.startsWith('file:') ? p.slice(5) : null;
    if (raw == null) return p;
    // Hive-style partition folders keep their %XX escapes on disk (as Hadoop's local file
    // system writes them), so a location whose decoded path does not exist is taken as
    // it is written.
    const decoded = decodeURIComponent(raw);
    return existsSync(decoded) || !existsSync(raw) ? decoded : raw;
  };
}

export function installLocalFetch(local, maps) {
  const all = withS3Urls(maps);
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init = {}) => {
    const u = String(url);
    if (!(u.startsWith('/') || u.startsWith('file:') || all.some(([a]) => u.startsWith(a)))) return realFetch(url, init);
    const p = local(u);
    if (!existsSync(p)) return new Response('not found', { status: 404 });
    const buf = readFileSync(p);
    const headers = new Headers({ 'content-length': String(buf.length), 'accept-ranges': 'bytes' });
    if ((init.method || 'GET') === 'HEAD') return new Response(null, { status: 200, headers });
    const h = init.headers;
    const range = h && (h.Range || h.range || (h.get && h.get('range')));
    if (range) {
      const m = /bytes=(\d+)-(\d*)/.exec(range);
      const start = Number(m[1]), end = m[2] ? Number(m[2]) : buf.length - 1;
      return new Response(buf.subarray(start, end + 1), { status: 206, headers: new Headers({ 'content-length': String(end - start + 1) }) });
    }
    return new Response(buf, { status: 200, headers });
  };
}
