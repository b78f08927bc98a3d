/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live-file walk over one snapshot (spec "Scan Planning": entries with status DELETED
 * are not live). Memory is one manifest list plus one manifest entry at a time.
 */
#include "iceberg/ib_snapshot_files.h"

#include <string.h>

#include "util/alloc.h"

static int walk_manifest(const struct ib_manifest_file *mf, ib_open_input_fn open,
                         void *open_ctx, ib_entry_fn fn, void *fn_ctx,
                         struct ice_error *err) {
  struct ice_input *in = NULL;
  ICE_TRY(open(open_ctx, mf->manifest_path, &in, err));
  struct ib_manifest_reader *r = NULL;
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  int rc = ib_manifest_reader_open(in, mf, &r, err);
  while (rc == ICE_OK) {
    bool eof = false;
    rc = ib_manifest_reader_next(r, &e, &eof, err);
    if (rc != ICE_OK || eof) break;
    if (e.status != IB_STATUS_DELETED) rc = fn(fn_ctx, mf, &e, err);
  }
  ib_manifest_entry_reset(&e);
  ib_manifest_reader_free(r);
  if (rc != ICE_OK) ice_error_prefix_path(err, "manifest", in->name);
  ice_input_close(in);
  return rc;
}

int ib_snapshot_for_each_live_entry(const struct ib_snapshot *snap, ib_open_input_fn open,
                                    void *open_ctx, ib_entry_fn fn, void *fn_ctx,
                                    struct ice_error *err) {
  if (snap->manifest_list == NULL) {
    /* v1 snapshot listing manifests directly: everything is sequence number 0. */
    for (size_t i = 0; i < snap->n_manifests; i++) {
      struct ib_manifest_file mf;
      ib_manifest_file_init(&mf);
      mf.manifest_path = snap->manifests[i];
      mf.added_snapshot_id = snap->snapshot_id;
      ICE_TRY(walk_manifest(&mf, open, open_ctx, fn, fn_ctx, err));
    }
    return ICE_OK;
  }
  struct ice_input *in = NULL;
  ICE_TRY(open(open_ctx, snap->manifest_list, &in, err));
  struct ib_manifest_list list;
  int rc = ib_manifest_list_read(in, &list, err);
  if (rc != ICE_OK) ice_error_prefix_path(err, "manifest list", in->name);
  ice_input_close(in);
  ICE_TRY(rc);
  for (size_t i = 0; i < list.n && rc == ICE_OK; i++) {
    const struct ib_manifest_file *mf = &list.items[i];
    /* A manifest with nothing live can be skipped without opening it. */
    if (mf->added_files_count == 0 && mf->existing_files_count == 0 &&
        mf->deleted_files_count > 0)
      continue;
    rc = walk_manifest(mf, open, open_ctx, fn, fn_ctx, err);
  }
  ib_manifest_list_reset(&list);
  return rc;
}
