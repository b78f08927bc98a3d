/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot producer + optimistic commit loop. Per attempt the work is O(manifests of
 * the base snapshot) for append (carried by reference, never rewritten) and O(live
 * files) for replace (each removed file is recorded once as DELETED, as Java does).
 * Replace re-plans its delete set against the new head on every retry: the table's
 * contents become exactly the input, whatever was committed in between.
 */
#include "ops/op_commit.h"

#include <stdio.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_update.h"
#include "iceberg/ib_write_paths.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "ops/op_cleanup.h"
#include "ops/op_location.h"
#include "ops/op_retry.h"
#include "util/alloc.h"
#include "util/killpoint.h"

int op_manifest_codec_named(const char *v, const char **codec, struct ice_error *err) {
  enum avro_codec c;
  if (ib_manifest_codec_parse(v, &c, NULL) != ICE_OK)
    ICE_FAIL(err, ICE_EINVAL,
             "table property write.manifest.compression-codec=%s: expected gzip or none",
             v);
  *codec = avro_codec_name(c);
  return ICE_OK;
}

int op_manifest_codec(const struct ib_table_metadata *md, const char **codec,
                      struct ice_error *err) {
  return op_manifest_codec_named(
      ib_table_metadata_property(md, "write.manifest.compression-codec", "gzip"), codec,
      err);
}

/* One DELETED-marker manifest per (partition spec, content) of the removed files. */
struct marker {
  int32_t spec_id;
  enum ib_manifest_content content;
  struct ice_output *out;
  struct ib_manifest_writer *w;
};

struct attempt {
  struct op_table *t;
  const struct op_commit_request *req;
  int number;
  const char *codec; /* Avro codec for manifests and the manifest list */
  char uuid[IB_UUID_STR_LEN];
  struct op_written files; /* this attempt's own files */
  struct marker *markers;
  size_t n_markers;
  struct ib_manifest_file *finished; /* finished markers */
  size_t n_finished;
  struct ib_manifest_list base; /* manifests of the base snapshot */
  size_t *carried; /* indexes into base of the manifests carried by reference */
  size_t n_carried;
  struct ib_summary_builder summary;
  int64_t removed_data_files, removed_delete_files;
  int final_conflict; /* the change no longer holds: retrying cannot help */
};

static int read_list(const struct io_fileio *io, const char *uri,
                     struct ib_manifest_list *out, struct ice_error *err) {
  struct ice_input *in = NULL;
  int rc = io_fileio_open_input(io, uri, &in, err);
  if (rc == ICE_OK) rc = ib_manifest_list_read(in, out, err);
  ice_input_close(in);
  if (rc != ICE_OK) ice_error_prefix_path(err, "manifest list", uri);
  return rc;
}

static int marker_for(struct attempt *a, int32_t spec_id,
                      enum ib_manifest_content content, struct ib_manifest_writer **out,
                      struct ice_error *err) {
  for (size_t i = 0; i < a->n_markers; i++) {
    if (a->markers[i].spec_id == spec_id && a->markers[i].content == content) {
      *out = a->markers[i].w;
      return ICE_OK;
    }
  }
  const struct ib_table_metadata *md = &a->t->md;
  const struct ib_partition_spec *spec = ib_table_metadata_spec_by_id(md, spec_id);
  const struct ib_schema *schema = ib_table_metadata_current_schema(md);
  if (spec == NULL || schema == NULL)
    ICE_FAIL(err, ICE_ECORRUPT,
             "manifest refers to partition spec %d which the table lacks", (int)spec_id);
  struct marker *grown = ice_realloc(a->markers, (a->n_markers + 1) * sizeof *grown);
  if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  a->markers = grown;
  struct marker *m = &a->markers[a->n_markers];
  memset(m, 0, sizeof *m);
  m->spec_id = spec_id;
  m->content = content;
  char *uri = NULL;
  int rc = ib_write_paths_manifest(md, a->uuid, (int)a->n_markers, &uri, err);
  if (rc == ICE_OK) rc = op_written_create(&a->files, uri, &m->out, err);
  if (rc == ICE_OK)
    rc = ib_manifest_writer_new(m->out, uri, schema, spec, content, a->req->snapshot_id,
                                a->codec, &m->w, err);
  ice_free(uri);
  if (rc != ICE_OK) {
    ice_output_abort(m->out);
    ice_output_close(m->out);
    return rc;
  }
  a->n_markers++;
  *out = m->w;
  return ICE_OK;
}

/* A carried manifest that only records deletions of an earlier snapshot has nothing
 * live; pyiceberg drops those too. */
static int manifest_has_live(const struct ib_manifest_file *mf) {
  return !(mf->deleted_files_count > 0 && mf->added_files_count == 0 &&
           mf->existing_files_count == 0);
}

/* Rewrites one base manifest the change takes files from: its removed live entries
 * go into the marker manifest of their (spec, content) as DELETED, the others as
 * EXISTING (sequence numbers and snapshot ids kept), so the base manifest is dropped. */
static int filter_manifest(struct attempt *a, const struct ib_manifest_file *mf,
                           struct ice_error *err) {
  const struct op_change *ch = a->req->change;
  struct ice_input *in = NULL;
  struct ib_manifest_reader *r = NULL;
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  struct ib_manifest_writer *w = NULL;
  int rc = io_fileio_open_input(a->t->cat->io, mf->manifest_path, &in, err);
  if (rc == ICE_OK) rc = ib_manifest_reader_open(in, mf, &r, err);
  while (rc == ICE_OK) {
    bool eof = false;
    rc = ib_manifest_reader_next(r, &e, &eof, err);
    if (rc != ICE_OK || eof) break;
    if (e.status == IB_STATUS_DELETED) continue;
    if (w == NULL) {
      rc = marker_for(a, mf->partition_spec_id, mf->content, &w, err);
      if (rc != ICE_OK) break;
    }
    if (!ch->removes(ch->ctx, mf, &e)) {
      rc = ib_manifest_writer_add_existing(w, &e, err);
      continue;
    }
    rc = ib_manifest_writer_add_deleted(w, &e, err);
    if (rc == ICE_OK) rc = ib_summary_remove_file(&a->summary, &e.file, err);
    if (e.file.content == IB_CONTENT_DATA) {
      a->removed_data_files++;
    } else {
      a->removed_delete_files++;
    }
  }
  ib_manifest_entry_reset(&e);
  ib_manifest_reader_free(r);
  ice_input_close(in);
  if (rc != ICE_OK) ice_error_prefix_path(err, "manifest", mf->manifest_path);
  return rc;
}

/* Base manifests the change leaves alone are carried by reference (those that only
 * record deletions of an earlier snapshot are dropped); the others are filtered. */
static int apply_change(struct attempt *a, struct ice_error *err) {
  const struct op_change *ch = a->req->change;
  a->carried = ice_calloc(a->base.n ? a->base.n : 1, sizeof *a->carried);
  if (a->carried == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < a->base.n; i++) {
    const struct ib_manifest_file *mf = &a->base.items[i];
    bool touched = ch != NULL && ch->removes != NULL &&
                   (ch->may_remove_from == NULL || ch->may_remove_from(ch->ctx, mf));
    if (touched) {
      ICE_TRY(filter_manifest(a, mf, err));
    } else if (manifest_has_live(mf)) {
      a->carried[a->n_carried++] = i;
    }
  }
  int64_t removed = a->removed_data_files + a->removed_delete_files;
  if (ch != NULL && ch->n_removals >= 0 && removed != ch->n_removals) {
    a->final_conflict = 1;
    ICE_FAIL(err, ICE_ECONFLICT,
             "a concurrent commit removed %lld of the files this commit replaces",
             (long long)(ch->n_removals - removed));
  }
  return ICE_OK;
}

static int finish_markers(struct attempt *a, struct ice_error *err) {
  if (a->n_markers == 0) return ICE_OK;
  a->finished = ice_calloc(a->n_markers, sizeof *a->finished);
  if (a->finished == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < a->n_markers; i++) {
    struct marker *m = &a->markers[i];
    ib_manifest_file_init(&a->finished[i]);
    a->n_finished = i + 1;
    ICE_TRY(ib_manifest_writer_finish(m->w, &a->finished[i], err));
  }
  return ICE_OK;
}

static void attempt_release(struct attempt *a) {
  for (size_t i = 0; i < a->n_markers; i++) {
    ib_manifest_writer_free(a->markers[i].w);
    ice_output_close(a->markers[i].out);
  }
  ice_free(a->markers);
  a->markers = NULL;
  a->n_markers = 0;
  for (size_t i = 0; i < a->n_finished; i++) ib_manifest_file_reset(&a->finished[i]);
  ice_free(a->finished);
  a->finished = NULL;
  a->n_finished = 0;
  ib_manifest_list_reset(&a->base);
  ice_free(a->carried);
  a->carried = NULL;
  a->n_carried = 0;
}

static const char *choose_operation(const struct op_change *ch,
                                    const struct ib_summary_builder *s) {
  if (ch != NULL && ch->operation != NULL) return ch->operation;
  if (s->deleted_data_files == 0 && s->removed_delete_files == 0 &&
      s->added_delete_files == 0)
    return "append";
  return s->added_data_files == 0 ? "delete" : "overwrite";
}

static int write_list(struct attempt *a, const struct ib_snapshot *base, int64_t seq,
                      char **list_uri, struct ice_error *err) {
  const struct ib_table_metadata *md = &a->t->md;
  char *uri = NULL;
  struct ice_output *out = NULL;
  struct ib_manifest_list_writer *w = NULL;
  int rc = ib_write_paths_manifest_list(md, a->req->snapshot_id, a->number, a->uuid, &uri,
                                        err);
  if (rc == ICE_OK) rc = op_written_create(&a->files, uri, &out, err);
  if (rc == ICE_OK)
    rc =
        ib_manifest_list_writer_new(out, a->req->snapshot_id, base != NULL,
                                    base ? base->snapshot_id : 0, seq, a->codec, &w, err);
  /* New manifests first, then delete markers, then carried ones (pyiceberg's order). */
  for (size_t i = 0; rc == ICE_OK && i < a->req->n_new_manifests; i++)
    rc = ib_manifest_list_writer_add(w, &a->req->new_manifests[i], err);
  for (size_t i = 0; rc == ICE_OK && i < a->n_finished; i++)
    rc = ib_manifest_list_writer_add(w, &a->finished[i], err);
  for (size_t i = 0; rc == ICE_OK && i < a->n_carried; i++)
    rc = ib_manifest_list_writer_add(w, &a->base.items[a->carried[i]], err);
  if (rc == ICE_OK) rc = ib_manifest_list_writer_finish(w, err);
  ib_manifest_list_writer_free(w);
  if (rc != ICE_OK) ice_output_abort(out);
  ice_output_close(out);
  if (rc != ICE_OK) {
    ice_free(uri);
    return ice_error_prefix(err, "writing manifest list");
  }
  *list_uri = uri;
  return ICE_OK;
}

/* Changes the outcome of an error already described in err: the caller and the load's
 * cleanup decide on err->code as well as on the returned code, so both must agree. */
static int with_code(struct ice_error *err, int code) {
  if (err != NULL) err->code = code;
  return code;
}

/* Drops the updates an attempt appended to a list that outlives it. */
static void truncate_updates(struct ib_update_list *l, size_t n) {
  while (l->n > n) ib_update_reset(&l->items[--l->n]);
}

/* The commit lists of one attempt on t as it is now: a table being created commits its
 * create lists (held by t across attempts; reqs and ups point at them); an existing one
 * requires main to be where it was read (assert-table-uuid, assert-ref-snapshot-id
 * main), in own_reqs/own_ups. The snapshot, if any, goes on main of the metadata those
 * lists start from (t->md). */
static int attempt_lists(struct attempt *a, const struct ib_snapshot_add *add,
                         struct ib_requirement_list *own_reqs,
                         struct ib_update_list *own_ups,
                         const struct ib_requirement_list **reqs,
                         struct ib_update_list **ups, struct ice_error *err) {
  struct op_table *t = a->t;
  bool creating = t->metadata_location == NULL;
  *reqs = creating ? &t->create_reqs : own_reqs;
  *ups = creating ? &t->create_ups : own_ups;
  /* A load that grew the schema states it first, so the snapshot's schema-id is the
   * new schema (the one the files were written with). A new table's create lists
   * already carry it. */
  bool schema_added = false;
  if (!creating && a->req->schema != NULL) {
    int rc = op_schema_target_updates(a->req->schema, &t->md, own_ups, &schema_added, err);
    if (rc == ICE_ECONFLICT) a->final_conflict = 1;
    ICE_TRY(rc);
  }
  if (add != NULL && schema_added) {
    struct ib_table_metadata evolved;
    ib_table_metadata_init(&evolved);
    int rc = ib_metadata_build(&t->md, NULL, own_ups->items, own_ups->n, op_now_ms(),
                               &evolved, err);
    if (rc == ICE_OK) rc = ib_commit_add_snapshot(&evolved, "main", add, *ups, err);
    ib_table_metadata_reset(&evolved);
    ICE_TRY(rc);
  } else if (add != NULL) {
    ICE_TRY(ib_commit_add_snapshot(&t->md, "main", add, *ups, err));
  }
  /* The table's uuid and main where it was read (the new snapshot's ref). */
  if (!creating)
    ICE_TRY(ib_commit_requirements(&t->md, own_ups->items, own_ups->n, own_reqs, err));
  return ICE_OK;
}

/* A change planned on another head must still hold on this one. */
static int revalidate(struct attempt *a, const struct ib_snapshot *base,
                      struct ice_error *err) {
  const struct op_change *ch = a->req->change;
  if (ch == NULL || ch->revalidate == NULL) return ICE_OK;
  int64_t head = base ? base->snapshot_id : -1;
  if (head == ch->planned_snapshot_id) return ICE_OK;
  int rc = ch->revalidate(ch->ctx, a->t, err);
  if (rc == ICE_ECONFLICT) a->final_conflict = 1;
  return rc;
}

/* Builds and publishes one attempt. Returns ICE_OK, ICE_ECONFLICT (lost the race),
 * ICE_ECOMMIT_UNKNOWN, or an error before the swap. *nothing = 1 when there was nothing
 * to commit. */
static int run_attempt(struct attempt *a, struct op_commit_result *res, int *nothing,
                       struct ice_error *err) {
  struct op_table *t = a->t;
  struct ib_table_metadata *md = &t->md;
  const struct ib_snapshot *base = ib_table_metadata_current_snapshot(md);
  a->summary = *a->req->added;
  a->removed_data_files = 0;
  a->removed_delete_files = 0;
  /* Again on every attempt: a retry commits on top of a head someone else wrote. */
  ICE_TRY(ib_table_metadata_check_writable(md, err));
  ICE_TRY(op_check_location_writable(t->cat, &t->id, md->location, err));
  ICE_TRY(ib_uuid4(a->uuid, err));
  ICE_TRY(op_manifest_codec(md, &a->codec, err));
  if (ib_table_metadata_snapshot_by_id(md, a->req->snapshot_id) != NULL)
    ICE_FAIL(err, ICE_ECONFLICT, "snapshot id %lld is already used by the table",
             (long long)a->req->snapshot_id);
  if (base != NULL) {
    if (base->manifest_list == NULL)
      ICE_FAIL(err, ICE_EUNSUPPORTED,
               "current snapshot %lld has no manifest list (v1 inline manifests)",
               (long long)base->snapshot_id);
    ICE_TRY(read_list(t->cat->io, base->manifest_list, &a->base, err));
  }
  ICE_TRY(revalidate(a, base, err));
  ICE_TRY(apply_change(a, err));
  ICE_TRY(finish_markers(a, err));
  int64_t added = a->summary.added_data_files + a->summary.added_delete_files;
  int64_t removed = a->summary.deleted_data_files + a->summary.removed_delete_files;
  /* A table that is not in the catalog yet is created by this commit (with its first
   * snapshot, or empty when there is nothing to add), so a failed load leaves no
   * table behind. */
  int creating = t->metadata_location == NULL;
  int empty = added == 0 && removed == 0;
  if (empty && !creating) {
    *nothing = 1;
    return ICE_OK;
  }
  const char *op = empty ? "" : choose_operation(a->req->change, &a->summary);
  int64_t seq = ib_table_metadata_next_sequence_number(md);

  struct ib_str_map summary;
  ib_str_map_init(&summary);
  struct ib_requirement_list own_reqs;
  struct ib_update_list own_ups;
  ib_requirement_list_init(&own_reqs);
  ib_update_list_init(&own_ups);
  const struct ib_requirement_list *reqs = NULL;
  struct ib_update_list *ups = NULL;
  size_t n_create = t->create_ups.n;
  char *list_uri = NULL;
  int rc = ICE_OK;
  if (!empty) {
    rc = ib_summary_build(&a->summary, op, base ? &base->summary : NULL, &summary, err);
    if (rc == ICE_OK && a->req->load_id != NULL)
      rc = ib_str_map_set(&summary, "icestream.load-id", a->req->load_id, err);
    if (rc == ICE_OK) rc = write_list(a, base, seq, &list_uri, err);
  }
  struct ib_snapshot_add add = {a->req->snapshot_id, seq, op_now_ms(), list_uri,
                                &summary};
  if (rc == ICE_OK)
    rc = attempt_lists(a, empty ? NULL : &add, &own_reqs, &own_ups, &reqs, &ups, err);
  if (rc == ICE_OK && creating) rc = t->cat->vt->ensure_namespace(t->cat, t->id.ns, err);
  if (rc == ICE_OK) {
    rc = op_table_commit(t, reqs, ups, err);
    /* Someone created it first: re-read theirs and retry as a normal commit. */
    if (rc == ICE_EEXISTS && creating) rc = with_code(err, ICE_ECONFLICT);
  }
  if (rc == ICE_OK) {
    ice_killpoint("committed");
    res->created = creating;
    if (empty) {
      *nothing = 1;
    } else {
      res->committed = 1;
      res->snapshot_id = a->req->snapshot_id;
      snprintf(res->operation, sizeof res->operation, "%s", op);
      res->data_files_removed = a->removed_data_files;
      res->delete_files_removed = a->removed_delete_files;
    }
  }
  if (rc != ICE_OK) truncate_updates(&t->create_ups, n_create);
  ib_requirement_list_reset(&own_reqs);
  ib_update_list_reset(&own_ups);
  ib_str_map_reset(&summary);
  ice_free(list_uri);
  return rc;
}

/* After losing a create race, the table someone else created must have our schema
 * (same field ids and types), or the manifests and data files already written do not
 * fit it. */
static int check_created_schema(const struct op_table *t, const struct ib_schema *ours,
                                struct ice_error *err) {
  const struct ib_schema *theirs = ib_table_metadata_current_schema(&t->md);
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(&t->md);
  if (theirs == NULL || !ib_type_equal(&theirs->root, &ours->root) ||
      (spec != NULL && spec->n_fields > 0))
    ICE_FAIL(
        err, ICE_ECONFLICT,
        "table %s.%s was created concurrently with a different schema or partitioning; "
        "run the load again to load into it",
        t->id.ns, t->id.name);
  return ICE_OK;
}

int op_commit(struct op_table *t, const struct op_commit_request *req,
              struct op_commit_result *res, struct ice_error *err) {
  struct op_retry_policy policy;
  ICE_TRY(op_retry_policy_from_props(&t->md.properties, &policy, err));
  memset(res, 0, sizeof *res);
  res->snapshot_id = -1;
  /* A table being created keeps its schema for the check after a lost create race. */
  int creating = t->metadata_location == NULL;
  struct ib_schema ours;
  ib_schema_init(&ours, 0);
  if (creating) {
    const struct ib_schema *s = ib_table_metadata_current_schema(&t->md);
    int rc = s ? ib_schema_copy(&ours, s, err)
               : ice_error_set(err, ICE_EINTERNAL, "new table without a schema");
    if (rc != ICE_OK) {
      ib_schema_reset(&ours);
      return rc;
    }
  }
  uint64_t rng = op_retry_seed();
  int64_t started = op_now_ms();
  int rc;
  for (int number = 1;; number++) {
    struct attempt a;
    memset(&a, 0, sizeof a);
    a.t = t;
    a.req = req;
    a.number = number;
    op_written_init(&a.files, t->cat->io);
    int nothing = 0;
    res->attempts = number;
    rc = run_attempt(&a, res, &nothing, err);
    attempt_release(&a);
    if (rc == ICE_OK || rc == ICE_ECOMMIT_UNKNOWN) {
      /* Committed files are referenced; unknown ones might be. */
      op_written_reset(&a.files);
      break;
    }
    op_written_delete_all(&a.files);
    /* A failed commit left t as it was read: go to the catalog for the new head. A
     * table still not created (the insert lost a lock) starts again as it was. */
    struct ice_error rerr;
    int rrc = op_table_refresh(t, &rerr);
    if (creating && rrc == ICE_ENOTFOUND) {
      rrc = ICE_OK;
    } else if (creating && rrc == ICE_OK) {
      creating = 0; /* it exists now: from here on a normal commit */
      if (rc == ICE_ECONFLICT) {
        int crc = check_created_schema(t, &ours, err);
        if (crc != ICE_OK) {
          rc = crc;
          break;
        }
      }
    }
    if (rc != ICE_ECONFLICT || a.final_conflict) break;
    if (rrc != ICE_OK) {
      if (err != NULL) *err = rerr;
      rc = ice_error_prefix(err, "re-reading table after a conflicting commit");
      break;
    }
    int64_t elapsed = op_now_ms() - started;
    if (number > policy.num_retries || elapsed >= policy.total_timeout_ms) {
      rc = ice_error_prefix(err, "commit failed after %d attempts", number);
      break;
    }
    op_sleep_ms(op_retry_backoff_ms(&policy, number, &rng));
  }
  ib_schema_reset(&ours);
  return rc;
}

static bool removes_every_entry(void *ctx, const struct ib_manifest_file *mf,
                                const struct ib_manifest_entry *e) {
  (void)ctx;
  (void)mf;
  (void)e;
  return true;
}

const struct op_change op_change_replace_all = {
    removes_every_entry, NULL, NULL, -1, NULL, -1, NULL};
