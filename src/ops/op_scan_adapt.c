/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_adapt (op_scan_adapt.h). A rebuilt struct or list keeps its input's offset and
 * copies only its validity bitmap (and offsets), so its children - moved or adapted -
 * keep their row positions; nothing below a matching subtree is touched.
 */
#include "ops/op_scan_adapt.h"

#include <stdbool.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "ops/op_reconcile.h"
#include "util/alloc.h"

static bool id_of(const struct ArrowSchema *s, int32_t *id) {
  bool has = false;
  return arrow_field_id(s, &has, id, NULL) == ICE_OK && has;
}

void op_adapt_reset(struct op_adapt *a) {
  if (a == NULL) return;
  for (int64_t i = 0; i < a->n_children; i++) op_adapt_reset(&a->children[i]);
  ice_free(a->children);
  ice_free(a->src);
  memset(a, 0, sizeof *a);
}

static int mismatch(const struct ArrowSchema *file, const struct ArrowSchema *table,
                    const char *where, struct ice_error *err) {
  int32_t id = 0;
  (void)id_of(table, &id);
  ICE_FAIL(err, ICE_EUNSUPPORTED,
           "%s: field '%s' (id %d) is stored as Arrow '%s', which does not read as the "
           "table's '%s' (not a type promotion)",
           where, table->name ? table->name : "", (int)id, file->format, table->format);
}

static int plan_any(const struct ArrowSchema *file, const struct ArrowSchema *table,
                    const char *where, int depth, struct op_adapt *out,
                    struct ice_error *err);

static int plan_struct(const struct ArrowSchema *file, const struct ArrowSchema *table,
                       const char *where, int depth, struct op_adapt *a,
                       struct ice_error *err) {
  int64_t n = table->n_children;
  a->kind = OP_ADAPT_STRUCT;
  a->src = ice_calloc(n ? (size_t)n : 1, sizeof *a->src);
  a->children = ice_calloc(n ? (size_t)n : 1, sizeof *a->children);
  if (a->src == NULL || a->children == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  a->n_children = n;
  bool same = n == file->n_children;
  for (int64_t k = 0; k < n; k++) {
    int32_t want = 0, got = 0;
    a->src[k] = -1;
    if (id_of(table->children[k], &want))
      for (int64_t j = 0; j < file->n_children && a->src[k] < 0; j++)
        if (id_of(file->children[j], &got) && got == want) a->src[k] = j;
    const struct ArrowSchema *f = a->src[k] >= 0 ? file->children[a->src[k]] : NULL;
    ICE_TRY(plan_any(f, table->children[k], where, depth + 1, &a->children[k], err));
    same = same && a->src[k] == k && a->children[k].kind == OP_ADAPT_MOVE;
  }
  if (same) { /* the file's struct is the table's: no rebuilding */
    op_adapt_reset(a);
    a->kind = OP_ADAPT_MOVE;
    a->file = file;
    a->table = table;
  }
  return ICE_OK;
}

static int plan_any(const struct ArrowSchema *file, const struct ArrowSchema *table,
                    const char *where, int depth, struct op_adapt *a,
                    struct ice_error *err) {
  memset(a, 0, sizeof *a);
  a->file = file;
  a->table = table;
  if (depth > 64)
    ICE_FAIL(err, ICE_ELIMIT, "%s: schema nests more than 64 levels", where);
  if (file == NULL) {
    a->kind = OP_ADAPT_NULL;
    return ICE_OK;
  }
  struct arrow_type ft, tt;
  ICE_TRY(arrow_type_parse(file->format, &ft, err));
  ICE_TRY(arrow_type_parse(table->format, &tt, err));
  bool nested_t =
      tt.id == ARROW_TYPE_STRUCT || tt.id == ARROW_TYPE_LIST || tt.id == ARROW_TYPE_MAP;
  bool nested_f = ft.id == ARROW_TYPE_STRUCT || ft.id == ARROW_TYPE_LIST ||
                  ft.id == ARROW_TYPE_MAP || ft.id == ARROW_TYPE_LARGE_LIST ||
                  ft.id == ARROW_TYPE_FIXED_LIST;
  if (nested_t || nested_f) {
    if (ft.id != tt.id) return mismatch(file, table, where, err);
    if (tt.id == ARROW_TYPE_STRUCT) return plan_struct(file, table, where, depth, a, err);
    if (file->n_children != 1 || table->n_children != 1)
      ICE_FAIL(err, ICE_ECORRUPT, "%s: list or map '%s' without its one child", where,
               table->name ? table->name : "");
    a->children = ice_calloc(1, sizeof *a->children);
    if (a->children == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    a->n_children = 1;
    a->kind = OP_ADAPT_LIST;
    /* The element (or a map's entries struct) is the list's one child, whatever its
     * id: Iceberg ids it, Arrow's map entries carry none. */
    ICE_TRY(plan_any(file->children[0], table->children[0], where, depth + 1,
                     &a->children[0], err));
    if (a->children[0].kind == OP_ADAPT_MOVE) {
      op_adapt_reset(a);
      a->kind = OP_ADAPT_MOVE;
      a->file = file;
      a->table = table;
    }
    return ICE_OK;
  }
  bool move = false;
  if (op_reconcile_column_plan(file, table, where, &move, NULL) != ICE_OK)
    return mismatch(file, table, where, err);
  a->kind = move ? OP_ADAPT_MOVE : OP_ADAPT_CONVERT;
  return ICE_OK;
}

int op_adapt_plan(const struct ArrowSchema *file, const struct ArrowSchema *table,
                  const char *where, struct op_adapt *out, struct ice_error *err) {
  int rc = plan_any(file, table, where, 0, out, err);
  if (rc != ICE_OK) op_adapt_reset(out);
  return rc;
}

/* Validity (and, for lists, offsets) of `in` copied as they are: same offset. */
static int copy_frame(const struct ArrowArray *in, bool offsets, struct ArrowArray *out,
                      struct ice_error *err) {
  out->length = in->length;
  out->offset = in->offset;
  out->null_count = in->null_count;
  int64_t rows = in->offset + in->length;
  if (in->n_buffers > 0 && in->buffers[0] != NULL && in->null_count != 0) {
    size_t nb = (size_t)arrow_bitmap_bytes(rows);
    uint8_t *bits = ice_malloc(nb ? nb : 1);
    if (bits == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    memcpy(bits, in->buffers[0], nb);
    arrow_array_set_buffer(out, 0, bits);
  } else {
    out->null_count = 0;
  }
  if (offsets) {
    size_t nb = (size_t)(rows + 1) * sizeof(int32_t);
    int32_t *o = ice_malloc(nb);
    if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    memcpy(o, in->buffers[1], nb);
    arrow_array_set_buffer(out, 1, o);
  }
  return ICE_OK;
}

static int adapt(const struct op_adapt *a, struct ArrowArray *in, struct ArrowArray *out,
                 const char *where, struct ice_error *err) {
  if (a->kind == OP_ADAPT_MOVE) {
    arrow_array_move(in, out);
    return ICE_OK;
  }
  int rc = ICE_OK;
  if (a->kind == OP_ADAPT_CONVERT) {
    rc = op_reconcile_column_convert(a->file, a->table, where, in, out, err);
    arrow_array_release(in);
    return rc;
  }
  bool list = a->kind == OP_ADAPT_LIST;
  rc = arrow_array_init(out, list ? 2 : 1, a->n_children, err);
  if (rc == ICE_OK) rc = copy_frame(in, list, out, err);
  /* A struct's children hold its rows at offset + i; a list's child its own rows. */
  int64_t child_rows = in->offset + in->length;
  for (int64_t k = 0; rc == ICE_OK && k < a->n_children; k++) {
    const struct op_adapt *c = &a->children[k];
    if (c->kind == OP_ADAPT_NULL) {
      rc = op_null_array(c->table, child_rows, out->children[k], err);
      continue;
    }
    int64_t src = list ? 0 : a->src[k];
    if (src < 0 || src >= in->n_children || in->children[src]->release == NULL) {
      rc = ice_error_set(err, ICE_EINTERNAL, "%s: column child %lld missing", where,
                         (long long)src);
      break;
    }
    struct ArrowArray child;
    arrow_array_move(in->children[src], &child);
    rc = adapt(c, &child, out->children[k], where, err);
  }
  arrow_array_release(in);
  if (rc != ICE_OK) arrow_array_release(out);
  return rc;
}

int op_adapt_array(const struct op_adapt *a, struct ArrowArray *in,
                   struct ArrowArray *out, const char *where, struct ice_error *err) {
  return adapt(a, in, out, where, err);
}
