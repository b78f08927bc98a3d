// lib_json.mjs - a strict JSON parser for icestream's JSONL output.
//
// JSON.parse would round 64-bit integers and decimals to doubles and merge duplicate
// keys, hiding exactly the differences the interop tests look for. This parser keeps
// every number as its source text (class Num), keeps object keys in order (class Obj:
// an array of [key, value] pairs) and rejects anything that is not RFC 8259 JSON.

export class Num {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

export class Obj {
  constructor(entries) { this.entries = entries; }
  keys() { return this.entries.map(([k]) => k); }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y; // string characters needing no attention

export function parseJson(text) {
  let i = 0;
  const fail = (what) => { throw new Error(`invalid JSON at offset ${i}: ${what}: ${text.slice(Math.max(0, i - 20), i + 20)}`); };
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const value = (depth) => {
    if (depth > 200) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = [];
      ws();
      if (text[i] === '}') { i++; return new Obj(entries); }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        entries.push([k, value(depth + 1)]);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return new Obj(entries); }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') { i++; return items; }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return items; }
        fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) fail('unexpected character');
    i += m[0].length;
    return new Num(m[0]);
  };
  const string = () => {
    i++; // opening quote
    let out = '';
    for (;;) {
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.exec(text);
      if (PLAIN_RUN.lastIndex > i) { out += text.slice(i, PLAIN_RUN.lastIndex); i = PLAIN_RUN.lastIndex; }
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c !== '\\') fail('raw control character in string');
      const e = text[i + 1];
      i += 2;
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) { out += simple[e]; continue; }
      if (e !== 'u') fail('bad escape');
      const hex = text.slice(i, i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}
