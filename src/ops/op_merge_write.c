/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The stored side of a merge (op_merge.h, pass 3): for merge-on-read the deleted
 * positions of each affected file, a partition at a time and in path order within it,
 * go to the sink's position delete writers; for copy-on-write (and merge-on-read files
 * of an older spec) each affected file is read again (its deletes applied) and its
 * surviving rows are written to new files, and the snapshot removes it.
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_take.h"
#include "ops/op_merge_internal.h"
#include "ops/op_task_read.h"
#include "util/alloc.h"

/* Positions go to the sink in chunks, so memory does not grow with a file's size. */
#define POS_CHUNK 65536

static int delete_positions(struct op_merge *m, size_t task,
                            const struct op_merge_sink *sink, struct ice_error *err) {
  const struct ice_bitmap *del = &m->deleted[task];
  const char *path = m->plan.tasks[task].data.file.file_path;
  ICE_TRY(merge_grow_scratch(m, POS_CHUNK, err));
  size_t n = 0;
  int64_t bits = (int64_t)del->bits.len * 8;
  for (int64_t pos = 0; pos < bits; pos++) {
    if (!ice_bitmap_get(del, pos)) continue;
    m->take[n++] = pos;
    if (n == POS_CHUNK) {
      ICE_TRY(sink->delete_positions(sink->ctx, path, m->take, n, err));
      n = 0;
    }
  }
  return n ? sink->delete_positions(sink->ctx, path, m->take, n, err) : ICE_OK;
}

/* The rows of b (at file positions pos) that the merge keeps, written to the sink. */
static int write_survivors(struct op_merge *m, const struct ice_bitmap *del,
                           const struct ArrowArray *b, const int64_t *pos,
                           const struct op_merge_sink *sink, struct ice_error *err) {
  ICE_TRY(merge_grow_scratch(m, b->length, err));
  int64_t kept = 0;
  for (int64_t r = 0; r < b->length; r++)
    if (!ice_bitmap_get(del, pos[r])) m->take[kept++] = r;
  if (kept == 0) return ICE_OK;
  if (kept == b->length) return sink->write_rows(sink->ctx, b, err);
  struct ArrowArray out;
  ICE_TRY(arrow_array_take(m->table_arrow, b, m->take, kept, &out, err));
  int rc = sink->write_rows(sink->ctx, &out, err);
  arrow_array_release(&out);
  return rc;
}

static int survivors_fn(struct op_merge *m, const void *ctx, size_t task,
                        const struct ArrowArray *b, const int64_t *pos,
                        struct ice_error *err) {
  return write_survivors(m, &m->deleted[task], b, pos, ctx, err);
}

static int rewrite_file(struct op_merge *m, const struct io_fileio *io,
                        struct op_task_reader *tr, size_t task,
                        const struct op_merge_sink *sink, struct ice_error *err) {
  const struct op_scan_task *t = &m->plan.tasks[task];
  const char *path = t->data.file.file_path;
  ICE_TRY(merge_each_batch(m, io, tr, task, sink, survivors_fn, sink, err));
  m->counts.files_rewritten++;
  ICE_TRY(op_key_set_add(&m->removed, (const uint8_t *)path, strlen(path), err));
  ICE_TRY(op_key_set_add(&m->rewritten, (const uint8_t *)path, strlen(path), err));
  const char *mf = m->plan.manifests[t->data.manifest];
  return op_key_set_add(&m->manifests, (const uint8_t *)mf, strlen(mf), err);
}

/* Merge-on-read keeps a file of the default spec and deletes its rows by position;
 * a file of an older spec is rewritten (its survivors land in the default spec), so
 * every delete file the merge writes is of the spec its manifest is written for. */
static bool by_position(const struct op_merge *m, size_t task) {
  return m->mor && m->plan.tasks[task].data.spec_id == m->default_spec;
}

/* The position deletes of the affected default-spec files, a partition at a time
 * (they are sorted by partition, then path). */
static int write_deletes(struct op_merge *m, const struct op_merge_sink *sink,
                         struct ice_error *err) {
  const struct op_scan_file *prev = NULL;
  for (size_t i = 0; i < m->n_affected; i++) {
    size_t task = m->affected[i];
    if (!by_position(m, task)) continue;
    const struct op_scan_file *f = &m->plan.tasks[task].data;
    if (prev == NULL || merge_tuple_order(prev->spec_id, &prev->file.partition,
                                          f->spec_id, &f->file.partition) != 0)
      ICE_TRY(sink->delete_partition(sink->ctx, &f->file.partition, err));
    prev = f;
    const char *path = f->file.file_path;
    ICE_TRY(op_key_set_add(&m->removed, (const uint8_t *)path, strlen(path), err));
    ICE_TRY(delete_positions(m, task, sink, err));
  }
  return ICE_OK;
}

int op_merge_write_stored(struct op_merge *m, const struct io_fileio *io,
                          const struct op_merge_sink *sink, struct ice_error *err) {
  ICE_TRY(write_deletes(m, sink, err));
  /* Every column, as the table reads them. */
  int32_t *ids = NULL;
  ICE_TRY(merge_table_ids(m, &ids, err));
  struct op_task_columns cols = {m->table_arrow, ids, (size_t)m->table_arrow->n_children,
                                 0};
  int rc = ICE_OK;
  struct op_task_reader tr;
  op_task_reader_init(&tr, &cols, m->budget);
  tr.pool = m->pool;
  for (size_t i = 0; rc == ICE_OK && i < m->n_affected; i++)
    if (!by_position(m, m->affected[i]))
      rc = rewrite_file(m, io, &tr, m->affected[i], sink, err);
  op_task_reader_reset(&tr);
  ice_free(ids);
  return rc;
}
