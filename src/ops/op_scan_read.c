/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_scan_reader (op_scan_read.h): field ids -> the file's own column names (files may
 * name a column differently after a rename), then a projected stream of those names.
 */
#include "ops/op_scan_read.h"

#include <string.h>

#include "arrow/arrow_schema.h"
#include "parquet/pq_reader.h"
#include "util/alloc.h"

void op_scan_reader_close(struct op_scan_reader *r) {
  if (r->st.release != NULL) r->st.release(&r->st);
  arrow_schema_release(&r->schema);
  ice_parquet_close(r->pf);
  ice_free(r->col);
  ice_free(r->path);
  memset(r, 0, sizeof *r);
}

/* The field id of an Arrow field; false when it has none or a malformed one. */
static bool field_id_of(const struct ArrowSchema *s, int32_t *id) {
  bool has = false;
  return arrow_field_id(s, &has, id, NULL) == ICE_OK && has;
}

static bool any_field_id(const struct ArrowSchema *fs) {
  int32_t id;
  for (int64_t k = 0; k < fs->n_children; k++)
    if (field_id_of(fs->children[k], &id)) return true;
  return false;
}

/* The file's name of each wanted column (NULL when absent). */
static void match_columns(const struct ArrowSchema *fs, const int32_t *ids,
                          const char *const *names, size_t n, const char **found) {
  bool by_id = names == NULL || any_field_id(fs);
  for (size_t i = 0; i < n; i++) {
    found[i] = NULL;
    for (int64_t k = 0; k < fs->n_children && found[i] == NULL; k++) {
      const struct ArrowSchema *c = fs->children[k];
      int32_t id = 0;
      if (by_id ? field_id_of(c, &id) && id == ids[i]
                : names[i] != NULL && strcmp(c->name, names[i]) == 0)
        found[i] = c->name;
    }
  }
}

static int open_stream(struct op_scan_reader *r, const int32_t *ids,
                       const char *const *names, size_t n, int64_t batch_rows,
                       struct ice_mem_budget *budget, struct ice_thread_pool *pool,
                       struct ice_error *err) {
  struct ArrowSchema fs = {0};
  const char **found = ice_calloc(n ? n : 1, sizeof *found);
  const char **present = ice_calloc(n ? n : 1, sizeof *present);
  r->col = ice_calloc(n ? n : 1, sizeof *r->col);
  int rc = found && present && r->col ? ICE_OK
                                      : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) rc = ice_parquet_schema(r->pf, &fs, err);
  size_t n_present = 0;
  if (rc == ICE_OK) {
    match_columns(&fs, ids, names, n, found);
    for (size_t i = 0; i < n; i++) {
      bool dup = false;
      for (size_t j = 0; j < n_present && found[i] != NULL; j++)
        dup = dup || strcmp(present[j], found[i]) == 0;
      if (found[i] != NULL && !dup) present[n_present++] = found[i];
    }
    /* With none of the wanted columns in the file, one column still gives the row
     * count (the wanted ones read as null). */
    if (n_present == 0 && fs.n_children > 0) present[n_present++] = fs.children[0]->name;
  }
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.columns = present;
  ro.n_columns = n_present;
  if (batch_rows > 0) ro.batch_rows = batch_rows;
  if (rc == ICE_OK) rc = pq_reader_stream_new(r->pf, &ro, budget, pool, &r->st, err);
  if (rc == ICE_OK && r->st.get_schema(&r->st, &r->schema) != 0)
    rc = ice_error_set(err, pq_reader_stream_error_code(&r->st), "%s",
                       r->st.get_last_error(&r->st));
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    r->col[i] = -1;
    for (int64_t k = 0; found[i] != NULL && k < r->schema.n_children; k++)
      if (strcmp(r->schema.children[k]->name, found[i]) == 0) r->col[i] = k;
    if (found[i] != NULL && r->col[i] < 0)
      rc = ice_error_set(err, ICE_EINTERNAL, "projected column '%s' missing", found[i]);
  }
  arrow_schema_release(&fs);
  ice_free(found);
  ice_free(present);
  return rc;
}

int op_scan_reader_open(const struct io_fileio *io, const char *uri, const int32_t *ids,
                        const char *const *names, size_t n_ids, int64_t batch_rows,
                        struct ice_mem_budget *budget, struct ice_thread_pool *pool,
                        struct op_scan_reader *r, struct ice_error *err) {
  memset(r, 0, sizeof *r);
  r->n_ids = n_ids;
  struct ice_input *in = NULL;
  r->path = ice_strdup(uri);
  int rc = r->path ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) rc = io_fileio_open_input(io, uri, &in, err);
  if (rc == ICE_OK) rc = pq_reader_open_input(in, &r->pf, err); /* consumes in */
  if (rc == ICE_OK) rc = open_stream(r, ids, names, n_ids, batch_rows, budget, pool, err);
  if (rc != ICE_OK) op_scan_reader_close(r); /* the messages name the file already */
  return rc;
}

int op_scan_reader_next(struct op_scan_reader *r, struct ArrowArray *out, bool *eof,
                        struct ice_error *err) {
  memset(out, 0, sizeof *out);
  *eof = false;
  if (r->st.get_next(&r->st, out) != 0) {
    const char *m = r->st.get_last_error(&r->st);
    /* The reader's message names the file already. */
    return ice_error_set(err, pq_reader_stream_error_code(&r->st), "%s",
                         m != NULL && m[0] != '\0' ? m : "reading failed");
  }
  if (out->release == NULL) *eof = true;
  return ICE_OK;
}
