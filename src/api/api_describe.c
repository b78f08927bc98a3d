/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_table_describe / ice_table_snapshots: the table's metadata rendered for people
 * (aligned text) or programs (JSON via jansson, using the spec's key names).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api_internal.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

/* Output text is capped like metadata JSON: it is derived from it. */
#define DESCRIBE_MAX ICE_LIMIT_METADATA_JSON_BYTES

static int appendf(struct ice_buf *b, struct ice_error *err, const char *fmt, ...)
    ICE_PRINTF(3, 4);
static int appendf(struct ice_buf *b, struct ice_error *err, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) ICE_FAIL(err, ICE_EINTERNAL, "formatting failed");
  size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
  return ice_buf_append(b, tmp, len, err);
}

static int finish_text(struct ice_buf *b, char **out, struct ice_error *err) {
  ICE_TRY(ice_buf_append_byte(b, 0, err));
  *out = (char *)ice_buf_take(b);
  return ICE_OK;
}

static int json_take(json_t *j, char **out, struct ice_error *err) {
  if (j == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory building JSON");
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
  /* Sized dump into our own allocation (jansson would otherwise malloc). */
  size_t n = json_dumpb(j, NULL, 0, flags);
  char *copy = n > 0 && n < DESCRIBE_MAX ? ice_malloc(n + 2) : NULL;
  if (copy != NULL && json_dumpb(j, copy, n, flags) != n) {
    ice_free(copy);
    copy = NULL;
  }
  json_decref(j);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory building JSON");
  copy[n] = '\n';
  copy[n + 1] = '\0';
  *out = copy;
  return ICE_OK;
}

static json_t *map_json(const struct ib_str_map *m) {
  json_t *o = json_object();
  for (size_t i = 0; o != NULL && i < m->n; i++)
    json_object_set_new(o, m->keys[i], json_string(m->values[i]));
  return o;
}

static json_t *snapshot_json(const struct ib_snapshot *s) {
  json_t *o = json_object();
  if (o == NULL) return NULL;
  json_object_set_new(o, "snapshot-id", json_integer(s->snapshot_id));
  json_object_set_new(o, "parent-snapshot-id",
                      s->has_parent ? json_integer(s->parent_snapshot_id) : json_null());
  json_object_set_new(o, "sequence-number", json_integer(s->sequence_number));
  json_object_set_new(o, "timestamp-ms", json_integer(s->timestamp_ms));
  const char *op = ib_str_map_get(&s->summary, "operation");
  json_object_set_new(o, "operation", op ? json_string(op) : json_null());
  json_object_set_new(o, "manifest-list",
                      s->manifest_list ? json_string(s->manifest_list) : json_null());
  json_object_set_new(o, "summary", map_json(&s->summary));
  return o;
}

/* "ns.name" into the caller's buffer (handles may be used from several threads). */
static const char *ident_of(const ice_table *tbl, char *buf, size_t cap) {
  if (tbl->t.id.ns == NULL || tbl->t.id.name == NULL)
    return "(none: read from its metadata file)";
  snprintf(buf, cap, "%s.%s", tbl->t.id.ns, tbl->t.id.name);
  return buf;
}

static int describe_json(const ice_table *tbl, char **out, struct ice_error *err) {
  const struct ib_table_metadata *md = &tbl->t.md;
  json_t *o = json_object();
  if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  char ident[600];
  json_object_set_new(o, "table",
                      tbl->t.id.ns != NULL
                          ? json_string(ident_of(tbl, ident, sizeof ident))
                          : json_null());
  json_object_set_new(o, "metadata-location", json_string(tbl->t.metadata_location));
  json_object_set_new(o, "format-version", json_integer(md->format_version));
  json_object_set_new(o, "table-uuid",
                      md->table_uuid ? json_string(md->table_uuid) : json_null());
  json_object_set_new(o, "location", json_string(md->location));
  const struct ib_schema *s = ib_table_metadata_current_schema(md);
  json_t *sj = NULL;
  if (s != NULL) {
    int rc = ib_schema_to_json(s, &sj, err);
    if (rc != ICE_OK) {
      json_decref(o);
      return rc;
    }
  }
  json_object_set_new(o, "schema", sj ? sj : json_null());
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(md);
  json_t *pj = NULL, *all = json_array();
  int rc = all != NULL ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK && spec != NULL) rc = ib_partition_spec_to_json(spec, &pj, err);
  for (size_t i = 0; rc == ICE_OK && i < md->n_specs; i++) {
    json_t *sj1 = NULL;
    rc = ib_partition_spec_to_json(&md->specs[i], &sj1, err);
    if (rc == ICE_OK && json_array_append_new(all, sj1) != 0)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc != ICE_OK) {
    json_decref(pj);
    json_decref(all);
    json_decref(o);
    return rc;
  }
  /* The default spec, then every spec (partition evolution keeps the old ones). */
  json_object_set_new(o, "partition-spec", pj ? pj : json_null());
  json_object_set_new(o, "default-spec-id", json_integer(md->default_spec_id));
  json_object_set_new(o, "last-partition-id", json_integer(md->last_partition_id));
  json_object_set_new(o, "partition-specs", all);
  json_object_set_new(o, "properties", map_json(&md->properties));
  json_object_set_new(o, "snapshot-count", json_integer((json_int_t)md->n_snapshots));
  const struct ib_snapshot *cur = ib_table_metadata_current_snapshot(md);
  json_object_set_new(o, "current-snapshot", cur ? snapshot_json(cur) : json_null());
  return json_take(o, out, err);
}

static int type_text(const struct ib_type *t, struct ice_buf *b, struct ice_error *err) {
  char name[64];
  if (t->id == IB_TYPE_LIST) {
    ICE_TRY(appendf(b, err, "list<"));
    ICE_TRY(type_text(&t->fields[0].type, b, err));
    return appendf(b, err, ">");
  }
  if (t->id == IB_TYPE_MAP) {
    ICE_TRY(appendf(b, err, "map<"));
    ICE_TRY(type_text(&t->fields[0].type, b, err));
    ICE_TRY(appendf(b, err, ", "));
    ICE_TRY(type_text(&t->fields[1].type, b, err));
    return appendf(b, err, ">");
  }
  return appendf(b, err, "%s", ib_type_name(t, name, sizeof name));
}

struct visit_ctx {
  struct ice_buf *b;
  struct ice_error *err;
  int rc;
};

static int visit_field(const struct ib_field *f, int depth, void *ctx) {
  struct visit_ctx *v = ctx;
  v->rc = appendf(v->b, v->err, "  %*s%4d  %s: ", depth * 2, "", (int)f->id, f->name);
  if (v->rc == ICE_OK) v->rc = type_text(&f->type, v->b, v->err);
  if (v->rc == ICE_OK)
    v->rc = appendf(v->b, v->err, "%s\n", f->required ? " (required)" : "");
  return v->rc;
}

/* "bucket[16](id)": the source by its name in schema (its id when the column is gone). */
static int field_text(const struct ib_partition_field *f, const struct ib_schema *schema,
                      struct ice_buf *b, struct ice_error *err) {
  char path[512];
  struct ice_error ignored;
  if (schema == NULL ||
      ib_schema_field_path(schema, f->source_id, path, sizeof path, &ignored) != ICE_OK)
    snprintf(path, sizeof path, "source id %d", (int)f->source_id);
  return appendf(b, err, "%s = %s(%s)", f->name, f->transform, path);
}

/* The default spec field by field, then the table's other specs on one line each. */
static int specs_text(const struct ib_table_metadata *md, const struct ib_schema *schema,
                      struct ice_buf *b, struct ice_error *err) {
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(md);
  if (spec == NULL) return ICE_OK;
  if (md->n_specs > 1)
    ICE_TRY(appendf(b, err, "partition spec:   %d (default; %zu specs in all)\n",
                    (int)spec->spec_id, md->n_specs));
  if (spec->n_fields == 0) ICE_TRY(appendf(b, err, "partitioning:     none\n"));
  for (size_t i = 0; i < spec->n_fields; i++) {
    ICE_TRY(appendf(b, err, "partition field:  "));
    ICE_TRY(field_text(&spec->fields[i], schema, b, err));
    ICE_TRY(appendf(b, err, " (field id %d)\n", (int)spec->fields[i].field_id));
  }
  for (size_t i = 0; i < md->n_specs; i++) {
    const struct ib_partition_spec *old = &md->specs[i];
    if (old == spec) continue;
    ICE_TRY(appendf(b, err, "other spec %-6d %s", (int)old->spec_id,
                    old->n_fields == 0 ? "none" : ""));
    for (size_t j = 0; j < old->n_fields; j++) {
      if (j > 0) ICE_TRY(appendf(b, err, ", "));
      ICE_TRY(field_text(&old->fields[j], schema, b, err));
    }
    ICE_TRY(appendf(b, err, "\n"));
  }
  return ICE_OK;
}

static int describe_text(const ice_table *tbl, char **out, struct ice_error *err) {
  const struct ib_table_metadata *md = &tbl->t.md;
  struct ice_buf b;
  ice_buf_init(&b, DESCRIBE_MAX);
  char ident[600];
  int rc =
      appendf(&b, err,
              "table:            %s\nlocation:         %s\nmetadata:         %s\n"
              "format version:   %d\nuuid:             %s\n",
              ident_of(tbl, ident, sizeof ident), md->location, tbl->t.metadata_location,
              md->format_version, md->table_uuid ? md->table_uuid : "(none)");
  const struct ib_schema *s = ib_table_metadata_current_schema(md);
  if (rc == ICE_OK && s != NULL) {
    rc =
        appendf(&b, err, "schema (id %d):     field id, name, type\n", (int)s->schema_id);
    struct visit_ctx v = {&b, err, ICE_OK};
    if (rc == ICE_OK && ib_schema_visit(s, visit_field, &v) != 0) rc = v.rc;
  }
  if (rc == ICE_OK) rc = specs_text(md, s, &b, err);
  for (size_t i = 0; rc == ICE_OK && i < md->properties.n; i++)
    rc = appendf(&b, err, "property:         %s = %s\n", md->properties.keys[i],
                 md->properties.values[i]);
  const struct ib_snapshot *cur = ib_table_metadata_current_snapshot(md);
  if (rc == ICE_OK) {
    if (cur == NULL) {
      rc = appendf(&b, err, "current snapshot: none (table is empty)\n");
    } else {
      rc = appendf(
          &b, err, "current snapshot: %lld (sequence %lld, %zu snapshots in all)\n",
          (long long)cur->snapshot_id, (long long)cur->sequence_number, md->n_snapshots);
      for (size_t i = 0; rc == ICE_OK && i < cur->summary.n; i++)
        rc = appendf(&b, err, "  %-26s %s\n", cur->summary.keys[i],
                     cur->summary.values[i]);
    }
  }
  if (rc == ICE_OK) rc = finish_text(&b, out, err);
  ice_buf_reset(&b);
  return rc;
}

int ice_table_describe(const ice_table *tbl, int json, char **out,
                       struct ice_error *err) {
  if (tbl == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "table or output is NULL");
  return json ? describe_json(tbl, out, err) : describe_text(tbl, out, err);
}

int ice_table_snapshots(const ice_table *tbl, int json, char **out,
                        struct ice_error *err) {
  if (tbl == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "table or output is NULL");
  const struct ib_table_metadata *md = &tbl->t.md;
  if (json) {
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < md->n_snapshots; i++)
      json_array_append_new(a, snapshot_json(&md->snapshots[i]));
    return json_take(a, out, err);
  }
  struct ice_buf b;
  ice_buf_init(&b, DESCRIBE_MAX);
  int rc = appendf(&b, err, "%-20s %-20s %5s %-24s %-10s %s\n", "snapshot_id", "parent",
                   "seq", "timestamp", "operation", "records (added/total)");
  for (size_t i = 0; rc == ICE_OK && i < md->n_snapshots; i++) {
    const struct ib_snapshot *s = &md->snapshots[i];
    char parent[24] = "-", when[96] = "?";
    if (s->has_parent)
      snprintf(parent, sizeof parent, "%lld", (long long)s->parent_snapshot_id);
    time_t secs = (time_t)(s->timestamp_ms / 1000);
    struct tm tmv;
    if (gmtime_r(&secs, &tmv) != NULL)
      snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
               tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday, tmv.tm_hour, tmv.tm_min,
               tmv.tm_sec, (int)(s->timestamp_ms % 1000 + 1000) % 1000);
    const char *op = ib_str_map_get(&s->summary, "operation");
    const char *added = ib_str_map_get(&s->summary, "added-records");
    const char *total = ib_str_map_get(&s->summary, "total-records");
    rc = appendf(&b, err, "%-20lld %-20s %5lld %-24s %-10s %s/%s%s\n",
                 (long long)s->snapshot_id, parent, (long long)s->sequence_number, when,
                 op ? op : "?", added ? added : "0", total ? total : "?",
                 md->has_current_snapshot && md->current_snapshot_id == s->snapshot_id
                     ? "  (current)"
                     : "");
  }
  if (rc == ICE_OK) rc = finish_text(&b, out, err);
  ice_buf_reset(&b);
  return rc;
}
