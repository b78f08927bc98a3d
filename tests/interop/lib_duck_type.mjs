// lib_duck_type.mjs - DuckDB types of Iceberg types, and the read_parquet `schema` map
// that makes DuckDB match a data file's columns by Iceberg field id (as an Iceberg reader
// must: names in older files may differ) and name them as the table schema does.

export function duckType(t) {
  if (typeof t === 'object') {
    if (t.type === 'struct') return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ')})`;
    if (t.type === 'list') return `${duckType(t.element)}[]`;
    if (t.type === 'map') return `MAP(${duckType(t.key)}, ${duckType(t.value)})`;
  }
  const d = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (d) return `DECIMAL(${d[1]},${d[2]})`;
  if (/^fixed/.test(t)) return 'BLOB';
  return { boolean: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', date: 'DATE', time: 'TIME', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', timestamp_ns: 'TIMESTAMP_NS', timestamptz_ns: 'TIMESTAMPTZ', string: 'VARCHAR', uuid: 'UUID', binary: 'BLOB' }[t] || 'VARCHAR';
}

const lit = (s) => `'${s.replaceAll("'", "''")}'`;

// `MAP {id: {name, type, default_value}, ...}` for read_parquet(..., schema = ...).
export function fieldIdSchemaMap(schema) {
  return `MAP {${schema.fields.map((f) => `${f.id}: {name: ${lit(f.name)}, type: ${lit(duckType(f.type))}, default_value: NULL}`).join(', ')}}`;
}
