/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The change a merge commits (op_change.h) and its re-validation after a concurrent
 * commit (reference/iceberg.md §8.5, serializable by default): walking the snapshots
 * committed since the merge was planned, the merge fails with ICE_ECONFLICT when one
 * of them added data files whose key bounds and key-decided partition values admit an
 * incoming key (rows the merge never saw), added delete files, or removed a file the
 * merge rewrites or deletes from. Otherwise the files it removes are found again in the
 * new head (their manifests may have moved) and the commit goes on.
 */
#include <string.h>

#include "io/io.h"
#include "ops/op_merge_internal.h"
#include "util/alloc.h"

static bool removes(void *ctx, const struct ib_manifest_file *mf,
                    const struct ib_manifest_entry *e) {
  (void)mf;
  const struct op_merge *m = ctx;
  const char *p = e->file.file_path;
  return e->file.content == IB_CONTENT_DATA &&
         op_key_set_contains(&m->rewritten, (const uint8_t *)p, strlen(p));
}

static bool may_remove_from(void *ctx, const struct ib_manifest_file *mf) {
  const struct op_merge *m = ctx;
  const char *p = mf->manifest_path ? mf->manifest_path : "";
  return mf->content == IB_MANIFEST_DATA &&
         op_key_set_contains(&m->manifests, (const uint8_t *)p, strlen(p));
}

static bool ours(const struct op_merge *m, const char *path) {
  return op_key_set_contains(&m->removed, (const uint8_t *)path, strlen(path));
}

struct walk {
  struct op_merge *m;
  const struct ib_snapshot *snap; /* the concurrent snapshot being checked */
  int64_t found;                  /* our files seen live in the head */
  struct op_key_set manifests;    /* manifests of the head holding them */
};

static int conflict(const struct walk *w, const char *what, const char *path,
                    struct ice_error *err) {
  return ice_error_set(err, ICE_ECONFLICT,
                       "a concurrent commit (snapshot %lld) %s %s; the merge was not "
                       "committed, run it again",
                       (long long)w->snap->snapshot_id, what, path);
}

/* An entry a concurrent snapshot wrote. */
static int check_entry(void *ctx, const struct ib_manifest_file *mf,
                       const struct ib_manifest_entry *e, struct ice_error *err) {
  struct walk *w = ctx;
  if (!e->has_snapshot_id || e->snapshot_id != w->snap->snapshot_id) return ICE_OK;
  const char *path = e->file.file_path;
  if (e->status == IB_STATUS_DELETED && ours(w->m, path))
    return conflict(w, "removed", path, err);
  if (e->status != IB_STATUS_ADDED) return ICE_OK;
  if (e->file.content != IB_CONTENT_DATA)
    return conflict(w, "added the delete file", path, err);
  if (merge_file_may_match(w->m, mf->partition_spec_id, &e->file))
    return conflict(w, "added rows that may have this merge's keys, in", path, err);
  return ICE_OK;
}

/* Every entry (live or deleted) of the manifests snap added itself. */
static int check_snapshot(struct walk *w, const struct io_fileio *io,
                          struct ice_error *err) {
  const struct ib_snapshot *s = w->snap;
  if (s->manifest_list == NULL)
    ICE_FAIL(err, ICE_ECONFLICT, "concurrent snapshot %lld has no manifest list",
             (long long)s->snapshot_id);
  struct ice_input *in = NULL;
  struct ib_manifest_list list;
  memset(&list, 0, sizeof list);
  int rc = io_fileio_open_input(io, s->manifest_list, &in, err);
  if (rc == ICE_OK) rc = ib_manifest_list_read(in, &list, err);
  ice_input_close(in);
  for (size_t i = 0; rc == ICE_OK && i < list.n; i++) {
    const struct ib_manifest_file *mf = &list.items[i];
    if (mf->added_snapshot_id != s->snapshot_id) continue;
    struct ib_manifest_reader *r = NULL;
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    in = NULL;
    rc = io_fileio_open_input(io, mf->manifest_path, &in, err);
    if (rc == ICE_OK) rc = ib_manifest_reader_open(in, mf, &r, err);
    while (rc == ICE_OK) {
      bool eof = false;
      rc = ib_manifest_reader_next(r, &e, &eof, err);
      if (rc != ICE_OK || eof) break;
      rc = check_entry(w, mf, &e, err);
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
  }
  ib_manifest_list_reset(&list);
  return rc;
}

/* A live entry of the new head: where our files are now. */
static int find_ours(void *ctx, const struct ib_manifest_file *mf,
                     const struct ib_manifest_entry *e, struct ice_error *err) {
  struct walk *w = ctx;
  if (e->file.content != IB_CONTENT_DATA || !ours(w->m, e->file.file_path)) return ICE_OK;
  w->found++;
  const char *p = mf->manifest_path ? mf->manifest_path : "";
  return op_key_set_add(&w->manifests, (const uint8_t *)p, strlen(p), err);
}

static int revalidate(void *ctx, const struct op_table *t, struct ice_error *err) {
  struct op_merge *m = ctx;
  const struct ib_table_metadata *md = &t->md;
  const struct io_fileio *io = t->cat->io;
  struct walk w;
  memset(&w, 0, sizeof w);
  w.m = m;
  op_key_set_init(&w.manifests, m->budget);
  int rc = ICE_OK;
  const struct ib_snapshot *s = ib_table_metadata_current_snapshot(md);
  while (rc == ICE_OK && s != NULL && s->snapshot_id != m->planned_snapshot) {
    w.snap = s;
    rc = check_snapshot(&w, io, err);
    s = s->has_parent ? ib_table_metadata_snapshot_by_id(md, s->parent_snapshot_id)
                      : NULL;
  }
  if (rc == ICE_OK && s == NULL && m->planned_snapshot != -1)
    rc =
        ice_error_set(err, ICE_ECONFLICT,
                      "the snapshot this merge was planned on (%lld) is no longer in the "
                      "history of the table's main branch; run the merge again",
                      (long long)m->planned_snapshot);
  const struct ib_snapshot *head = ib_table_metadata_current_snapshot(md);
  if (rc == ICE_OK && head != NULL && op_key_set_size(&m->removed) > 0)
    rc = ib_snapshot_for_each_live_entry(head, op_scan_open_input, (void *)(uintptr_t)io,
                                         find_ours, &w, err);
  if (rc == ICE_OK && w.found != (int64_t)op_key_set_size(&m->removed))
    rc =
        ice_error_set(err, ICE_ECONFLICT,
                      "%lld of the files this merge changes were removed by a concurrent "
                      "commit; run the merge again",
                      (long long)((int64_t)op_key_set_size(&m->removed) - w.found));
  if (rc == ICE_OK) {
    op_key_set_reset(&m->manifests);
    m->manifests = w.manifests;
  } else {
    op_key_set_reset(&w.manifests);
  }
  return rc;
}

/* append when no stored row is touched; delete when rows are only removed; else
 * overwrite. */
static const char *operation(const struct op_merge *m) {
  bool touched = m->counts.rows_updated > 0 || m->counts.rows_deleted > 0;
  if (!touched) return "append";
  return m->written == 0 ? "delete" : "overwrite";
}

const struct op_change *op_merge_change(struct op_merge *m) {
  int64_t n = (int64_t)op_key_set_size(&m->rewritten);
  m->change = (struct op_change){n > 0 ? removes : NULL,
                                 may_remove_from,
                                 revalidate,
                                 n,
                                 operation(m),
                                 m->planned_snapshot,
                                 m};
  return &m->change;
}
