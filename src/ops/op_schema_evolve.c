/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The write schema of a load and the schema updates of its commit attempts
 * (op_schema_evolve.h).
 */
#include "ops/op_schema_evolve.h"

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_arrow_schema.h"

void op_schema_target_init(struct op_schema_target *t, enum ib_schema_evolution mode) {
  memset(t, 0, sizeof *t);
  t->mode = mode;
  ib_schema_init(&t->schema, 0);
}

void op_schema_target_reset(struct op_schema_target *t) {
  ib_schema_reset(&t->schema);
  t->changed = false;
}

static void no_release(struct ArrowSchema *s) {
  s->release = NULL;
}

static bool table_has(const struct ib_schema *table, const char *name) {
  for (size_t i = 0; i < table->root.n_fields; i++)
    if (strcmp(table->root.fields[i].name, name) == 0) return true;
  char alt[1024];
  if (!ib_compatible_name(name, alt, sizeof alt)) return false;
  for (size_t i = 0; i < table->root.n_fields; i++) {
    char t[1024];
    if (ib_compatible_name(table->root.fields[i].name, t, sizeof t) &&
        strcmp(t, name) == 0)
      return true;
  }
  return false;
}

/* The Iceberg schema of one input's columns (ids are placeholders), converted column
 * by column: a column Iceberg cannot store (nanosecond timestamps on v2) is left out
 * when the table has a column of that name, so the reconciler names the pair of types;
 * when it would be a new column its error is returned once the union found nothing
 * worse (*deferred). */
static int input_schema(const char *path, int format_version,
                        const struct ib_schema *table, struct ib_schema *out,
                        struct ice_error *deferred, bool *has_deferred,
                        struct ice_error *err) {
  ice_parquet_file *pf = NULL;
  struct ArrowSchema s = {0};
  struct ib_arrow_import_options o = {format_version};
  ib_schema_init(out, 0);
  int rc = ice_parquet_open(path, &pf, err);
  if (rc == ICE_OK) rc = ice_parquet_schema(pf, &s, err);
  if (rc == ICE_OK && s.n_children > 0)
    rc = ib_type_alloc_fields(&out->root, (size_t)s.n_children, err);
  size_t n = 0;
  for (int64_t i = 0; rc == ICE_OK && i < s.n_children; i++) {
    struct ArrowSchema one = {0};
    one.format = "+s";
    one.name = "";
    one.n_children = 1;
    one.children = &s.children[i];
    one.release = no_release;
    struct ib_schema col;
    struct ice_error cerr;
    ice_error_clear(&cerr);
    int crc = ib_schema_from_arrow(&one, &o, &col, &cerr);
    if (crc == ICE_OK) {
      out->root.fields[n++] = col.root.fields[0]; /* moved */
      col.root.n_fields = 0;
      ib_schema_reset(&col);
    } else if (crc == ICE_ENOMEM) {
      if (err != NULL) *err = cerr;
      rc = crc;
    } else if (!table_has(table, s.children[i]->name) && !*has_deferred) {
      *deferred = cerr;
      *has_deferred = true;
    }
  }
  out->root.n_fields = n;
  arrow_schema_release(&s);
  ice_parquet_close(pf);
  if (rc != ICE_OK && strstr(err ? err->message : "", path) == NULL)
    ice_error_prefix_path(err, "input", path);
  return rc;
}

/* *schema grown by the inputs; *last the highest id given out. */
static int grow(struct ib_schema *schema, enum ib_schema_evolution mode,
                int format_version, const char *const *inputs, size_t n, int32_t *last,
                bool *changed, struct ice_error *err) {
  char name[1100];
  for (size_t i = 0; i < n; i++) {
    struct ib_schema in, grown;
    struct ice_error deferred;
    ice_error_clear(&deferred);
    bool has_deferred = false;
    snprintf(name, sizeof name, "input %.1024s", inputs[i]);
    struct ib_schema_union_options o = {mode, false, name};
    bool ch = false;
    int rc = input_schema(inputs[i], format_version, schema, &in, &deferred,
                          &has_deferred, err);
    if (rc == ICE_OK) rc = ib_schema_union(schema, &in, &o, last, &grown, &ch, err);
    ib_schema_reset(&in);
    if (rc == ICE_OK && has_deferred) {
      ib_schema_reset(&grown);
      if (err != NULL) *err = deferred;
      rc = deferred.code;
      if (strstr(deferred.message, inputs[i]) == NULL)
        ice_error_prefix_path(err, "input", inputs[i]);
    }
    if (rc != ICE_OK) return rc;
    ib_schema_reset(schema);
    *schema = grown; /* moved */
    *changed = *changed || ch;
  }
  return ICE_OK;
}

int op_schema_target_from_files(struct op_schema_target *t,
                                const struct ib_table_metadata *md,
                                const char *const *inputs, size_t n,
                                struct ice_error *err) {
  const struct ib_schema *cur = ib_table_metadata_current_schema(md);
  if (cur == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  ib_schema_reset(&t->schema);
  ICE_TRY(ib_schema_copy(&t->schema, cur, err));
  int32_t last = md->last_column_id;
  t->changed = false;
  int version = md->format_version >= 3 ? 3 : 2;
  return grow(&t->schema, t->mode, version, inputs, n, &last, &t->changed, err);
}

int op_schema_grow_by_files(struct ib_schema *schema, enum ib_schema_evolution mode,
                            int format_version, const char *const *inputs, size_t n,
                            struct ice_error *err) {
  int32_t last = ib_schema_highest_field_id(schema);
  bool changed = false;
  return grow(schema, mode, format_version, inputs, n, &last, &changed, err);
}

int op_schema_target_updates(const struct op_schema_target *t,
                             const struct ib_table_metadata *md,
                             struct ib_update_list *ups, bool *added,
                             struct ice_error *err) {
  *added = false;
  const struct ib_schema *cur = ib_table_metadata_current_schema(md);
  if (cur == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  /* The write schema merged into the head keeping its ids: on the planned head this
   * gives the write schema itself; on a newer one, the head's columns plus ours. */
  struct ib_schema_union_options o = {t->mode, true, "the load's write schema"};
  int32_t last = md->last_column_id;
  struct ib_schema merged;
  bool changed = false;
  int rc = ib_schema_union(cur, &t->schema, &o, &last, &merged, &changed, err);
  if (rc == ICE_ESCHEMA || rc == ICE_ECONFLICT) {
    /* The head changed under the load in a way its files cannot follow. */
    if (err != NULL) err->code = ICE_ECONFLICT;
    return ice_error_prefix(err,
                            "the table's schema changed concurrently; nothing was "
                            "committed (run the load again)");
  }
  if (rc != ICE_OK) return rc;
  if (!changed) {
    ib_schema_reset(&merged);
    return ICE_OK;
  }
  struct ib_update *u = NULL;
  rc = ib_update_list_add(ups, IB_UPDATE_ADD_SCHEMA, &u, err);
  if (rc == ICE_OK) {
    ib_schema_reset(&u->schema);
    u->schema = merged; /* moved */
    ib_schema_init(&merged, 0);
    rc = ib_update_list_add(ups, IB_UPDATE_SET_CURRENT_SCHEMA, &u, err);
  }
  if (rc == ICE_OK) u->id = IB_LAST_ADDED;
  ib_schema_reset(&merged);
  if (rc == ICE_OK) *added = true;
  return rc;
}
