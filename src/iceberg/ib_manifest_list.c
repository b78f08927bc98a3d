/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Manifest lists (spec "Manifest Lists"; reference/iceberg.md §3.2): the v2 writer
 * (assigns the commit's sequence number to manifests written by this snapshot, §3.7)
 * and a reader for v1 and v2 lists that applies the v1 defaults (content 0, sequence
 * numbers 0) and accepts the old *_data_files_count names.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "avro/avro.h"
#include "iceberg/ib_avro_fields.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_manifest_schema.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

void ib_manifest_file_init(struct ib_manifest_file *mf) {
  memset(mf, 0, sizeof(*mf));
}

void ib_manifest_file_reset(struct ib_manifest_file *mf) {
  ice_free(mf->manifest_path);
  for (size_t i = 0; i < mf->n_partitions; i++) {
    ice_free(mf->partitions[i].lower_bound);
    ice_free(mf->partitions[i].upper_bound);
  }
  ice_free(mf->partitions);
  ice_free(mf->key_metadata);
  ib_manifest_file_init(mf);
}

static uint8_t *dup_mem(const uint8_t *p, size_t n) {
  uint8_t *d = ice_malloc(n ? n : 1);
  if (d != NULL && n) memcpy(d, p, n);
  return d;
}

int ib_manifest_file_copy(struct ib_manifest_file *dst,
                          const struct ib_manifest_file *src, struct ice_error *err) {
  struct ib_manifest_file t = *src;
  t.manifest_path = NULL;
  t.partitions = NULL;
  t.n_partitions = 0;
  t.key_metadata = NULL;
  t.manifest_path = src->manifest_path ? ice_strdup(src->manifest_path) : NULL;
  bool ok = src->manifest_path == NULL || t.manifest_path != NULL;
  if (ok && src->key_metadata) {
    t.key_metadata = dup_mem(src->key_metadata, src->key_metadata_len);
    ok = t.key_metadata != NULL;
  }
  if (ok && src->n_partitions) {
    t.partitions = ice_calloc(src->n_partitions, sizeof(*t.partitions));
    ok = t.partitions != NULL;
    for (size_t i = 0; ok && i < src->n_partitions; i++) {
      const struct ib_field_summary *s = &src->partitions[i];
      struct ib_field_summary *d = &t.partitions[i];
      *d = *s;
      d->lower_bound = d->upper_bound = NULL;
      t.n_partitions = i + 1;
      if (s->lower_bound)
        ok = (d->lower_bound = dup_mem(s->lower_bound, s->lower_len)) != NULL;
      if (ok && s->upper_bound)
        ok = (d->upper_bound = dup_mem(s->upper_bound, s->upper_len)) != NULL;
    }
  }
  if (!ok) {
    ib_manifest_file_reset(&t);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *dst = t;
  return ICE_OK;
}

/* ---- writer ---- */

struct ib_manifest_list_writer {
  struct avro_schema *avro;
  struct avro_ocf_writer *ocf;
  struct ice_output *out;
  int64_t snapshot_id;
  int64_t sequence_number;
};

void ib_manifest_list_writer_free(struct ib_manifest_list_writer *w) {
  if (w == NULL) return;
  avro_ocf_writer_free(w->ocf);
  avro_schema_free(w->avro);
  ice_free(w);
}

int ib_manifest_list_writer_new(struct ice_output *out, int64_t snapshot_id,
                                bool has_parent, int64_t parent_snapshot_id,
                                int64_t sequence_number, const char *codec,
                                struct ib_manifest_list_writer **wp,
                                struct ice_error *err) {
  struct avro_ocf_writer_options opts;
  memset(&opts, 0, sizeof(opts));
  ICE_TRY(ib_manifest_codec_parse(codec, &opts.codec, err));
  if (sequence_number < 1)
    ICE_FAIL(err, ICE_EINVAL, "manifest list: sequence number must be >= 1");
  struct ib_manifest_list_writer *w = ice_calloc(1, sizeof(*w));
  if (w == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  w->out = out;
  w->snapshot_id = snapshot_id;
  w->sequence_number = sequence_number;
  const char *js = ib_manifest_list_avro_schema_v2();
  int rc = avro_schema_parse(js, strlen(js), &w->avro, err);
  char sid[24], pid[24], seq[24];
  snprintf(sid, sizeof(sid), "%" PRId64, snapshot_id);
  if (has_parent)
    snprintf(pid, sizeof(pid), "%" PRId64, parent_snapshot_id);
  else
    snprintf(pid, sizeof(pid), "null"); /* what Java and pyiceberg write */
  snprintf(seq, sizeof(seq), "%" PRId64, sequence_number);
  const char *meta[] = {"snapshot-id",
                        sid,
                        "parent-snapshot-id",
                        pid,
                        "sequence-number",
                        seq,
                        "format-version",
                        "2",
                        NULL};
  if (rc == ICE_OK) rc = avro_ocf_writer_new(out, w->avro, meta, &opts, &w->ocf, err);
  if (rc != ICE_OK) {
    ib_manifest_list_writer_free(w);
    return ice_error_prefix_path(err, "manifest list", out->name);
  }
  *wp = w;
  return ICE_OK;
}

static int put_opt_bytes(struct ice_buf *b, const uint8_t *p, size_t n,
                         struct ice_error *err) {
  ICE_TRY(avro_put_union(b, p ? 1 : 0, err));
  return p ? avro_put_bytes(b, p, n, err) : ICE_OK;
}

/* Appends one manifest_file datum (v2 field order, §3.8) to b. */
static int encode_manifest_file(struct ice_buf *b, const struct ib_manifest_file *mf,
                                int64_t seq, int64_t min_seq, struct ice_error *err) {
  ICE_TRY(avro_put_cstring(b, mf->manifest_path, err));
  ICE_TRY(avro_put_long(b, mf->manifest_length, err));
  ICE_TRY(avro_put_int(b, mf->partition_spec_id, err));
  ICE_TRY(avro_put_int(b, (int32_t)mf->content, err));
  ICE_TRY(avro_put_long(b, seq, err));
  ICE_TRY(avro_put_long(b, min_seq, err));
  ICE_TRY(avro_put_long(b, mf->added_snapshot_id, err));
  ICE_TRY(avro_put_int(b, mf->added_files_count, err));
  ICE_TRY(avro_put_int(b, mf->existing_files_count, err));
  ICE_TRY(avro_put_int(b, mf->deleted_files_count, err));
  ICE_TRY(avro_put_long(b, mf->added_rows_count, err));
  ICE_TRY(avro_put_long(b, mf->existing_rows_count, err));
  ICE_TRY(avro_put_long(b, mf->deleted_rows_count, err));
  ICE_TRY(avro_put_union(b, mf->has_partitions ? 1 : 0, err));
  if (mf->has_partitions) {
    if (mf->n_partitions > 0) {
      ICE_TRY(avro_put_block_count(b, mf->n_partitions, err));
      for (size_t i = 0; i < mf->n_partitions; i++) {
        const struct ib_field_summary *s = &mf->partitions[i];
        ICE_TRY(avro_put_boolean(b, s->contains_null, err));
        ICE_TRY(avro_put_union(b, s->has_contains_nan ? 1 : 0, err));
        if (s->has_contains_nan) ICE_TRY(avro_put_boolean(b, s->contains_nan, err));
        ICE_TRY(put_opt_bytes(b, s->lower_bound, s->lower_len, err));
        ICE_TRY(put_opt_bytes(b, s->upper_bound, s->upper_len, err));
      }
    }
    ICE_TRY(avro_put_block_count(b, 0, err));
  }
  ICE_TRY(put_opt_bytes(b, mf->key_metadata, mf->key_metadata_len, err));
  return ICE_OK;
}

int ib_manifest_list_writer_add(struct ib_manifest_list_writer *w,
                                const struct ib_manifest_file *mf,
                                struct ice_error *err) {
  int64_t seq = mf->sequence_number, min_seq = mf->min_sequence_number;
  if (seq == IB_SEQ_UNASSIGNED || min_seq == IB_SEQ_UNASSIGNED) {
    /* Only manifests written for this very snapshot may take its sequence number. */
    if (mf->added_snapshot_id != w->snapshot_id)
      ICE_FAIL(err, ICE_EINVAL,
               "manifest %s: unassigned sequence number but added by snapshot %" PRId64
               ", not %" PRId64,
               mf->manifest_path, mf->added_snapshot_id, w->snapshot_id);
    if (seq == IB_SEQ_UNASSIGNED) seq = w->sequence_number;
    if (min_seq == IB_SEQ_UNASSIGNED) min_seq = w->sequence_number;
  }
  if (mf->manifest_path == NULL) ICE_FAIL(err, ICE_EINVAL, "manifest without a path");
  int rc =
      encode_manifest_file(avro_ocf_writer_record_buf(w->ocf), mf, seq, min_seq, err);
  if (rc != ICE_OK) {
    avro_ocf_writer_discard_record(w->ocf);
    return rc;
  }
  return avro_ocf_writer_end_record(w->ocf, err);
}

int ib_manifest_list_writer_finish(struct ib_manifest_list_writer *w,
                                   struct ice_error *err) {
  int rc = avro_ocf_writer_finish(w->ocf, err);
  if (rc == ICE_OK) rc = ice_output_finish(w->out, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "manifest list", w->out->name);
  return ICE_OK;
}

/* ---- reader ---- */

void ib_manifest_list_reset(struct ib_manifest_list *l) {
  for (size_t i = 0; i < l->n; i++) ib_manifest_file_reset(&l->items[i]);
  ice_free(l->items);
  memset(l, 0, sizeof(*l));
}

static int opt_bytes_copy(const struct avro_value *rec, int32_t id, const char *name,
                          uint8_t **out, size_t *len, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(rec, id, name);
  *out = NULL;
  *len = 0;
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  const uint8_t *p;
  size_t n;
  ICE_CHECK_DATA(avro_value_as_bytes(v, &p, &n), err, "field '%s' is not bytes", name);
  *out = dup_mem(p, n);
  if (*out == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *len = n;
  return ICE_OK;
}

/* Counts: v2 names, or the v1-era *_data_files_count names (same field ids). */
static int count_field(const struct avro_value *rec, int32_t id, const char *name,
                       const char *old_name, int32_t *out, struct ice_error *err) {
  bool present;
  ICE_TRY(ib_avro_opt_int(rec, id, name, &present, out, err));
  if (!present) ICE_TRY(ib_avro_opt_int(rec, id, old_name, &present, out, err));
  ICE_CHECK_DATA(!present || *out >= 0, err, "negative '%s'", name);
  if (!present) *out = 0;
  return ICE_OK;
}

static int rows_field(const struct avro_value *rec, int32_t id, const char *name,
                      int64_t *out, struct ice_error *err) {
  bool present;
  ICE_TRY(ib_avro_opt_long(rec, id, name, &present, out, err));
  ICE_CHECK_DATA(!present || *out >= 0, err, "negative '%s'", name);
  if (!present) *out = 0;
  return ICE_OK;
}

static int read_manifest_file(const struct avro_value *rec, struct ib_manifest_file *mf,
                              struct ice_error *err) {
  const char *path;
  bool present;
  int32_t content = 0;
  ICE_TRY(ib_avro_req_string(rec, 500, "manifest_path", &path, err));
  mf->manifest_path = ice_strdup(path);
  if (mf->manifest_path == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ICE_TRY(ib_avro_req_long(rec, 501, "manifest_length", &mf->manifest_length, err));
  ICE_TRY(ib_avro_req_int(rec, 502, "partition_spec_id", &mf->partition_spec_id, err));
  ICE_TRY(ib_avro_opt_int(rec, 517, "content", &present, &content, err));
  ICE_CHECK_DATA(content == 0 || content == 1, err, "manifest content %d", (int)content);
  mf->content = (enum ib_manifest_content)content;
  ICE_TRY(
      ib_avro_opt_long(rec, 515, "sequence_number", &present, &mf->sequence_number, err));
  if (!present) mf->sequence_number = 0;
  ICE_TRY(ib_avro_opt_long(rec, 516, "min_sequence_number", &present,
                           &mf->min_sequence_number, err));
  if (!present) mf->min_sequence_number = 0;
  ICE_CHECK_DATA(mf->sequence_number >= 0 && mf->min_sequence_number >= 0, err,
                 "negative sequence number");
  ICE_TRY(ib_avro_opt_long(rec, 503, "added_snapshot_id", &present,
                           &mf->added_snapshot_id, err));
  ICE_TRY(count_field(rec, 504, "added_files_count", "added_data_files_count",
                      &mf->added_files_count, err));
  ICE_TRY(count_field(rec, 505, "existing_files_count", "existing_data_files_count",
                      &mf->existing_files_count, err));
  ICE_TRY(count_field(rec, 506, "deleted_files_count", "deleted_data_files_count",
                      &mf->deleted_files_count, err));
  ICE_TRY(rows_field(rec, 512, "added_rows_count", &mf->added_rows_count, err));
  ICE_TRY(rows_field(rec, 513, "existing_rows_count", &mf->existing_rows_count, err));
  ICE_TRY(rows_field(rec, 514, "deleted_rows_count", &mf->deleted_rows_count, err));
  ICE_TRY(opt_bytes_copy(rec, 519, "key_metadata", &mf->key_metadata,
                         &mf->key_metadata_len, err));
  const struct avro_value *parts = ib_avro_field(rec, 507, "partitions");
  if (parts == NULL || avro_value_is_null(parts)) return ICE_OK;
  ICE_CHECK_DATA(parts->schema->type == AVRO_ARRAY, err, "'partitions' is not a list");
  mf->has_partitions = true;
  size_t n = parts->u.array.n;
  ICE_CHECK_DATA(n <= ICE_LIMIT_COLUMNS, err, "too many partition summaries");
  if (n == 0) return ICE_OK;
  mf->partitions = ice_calloc(n, sizeof(*mf->partitions));
  if (mf->partitions == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const struct avro_value *s = &parts->u.array.items[i];
    struct ib_field_summary *fs = &mf->partitions[i];
    mf->n_partitions = i + 1;
    const struct avro_value *cn = ib_avro_field(s, 509, "contains_null");
    /* v1 readers: a missing contains_null means "assume there may be nulls". */
    fs->contains_null = true;
    if (cn != NULL && !avro_value_is_null(cn))
      ICE_CHECK_DATA(avro_value_as_bool(cn, &fs->contains_null), err,
                     "'contains_null' is not a boolean");
    const struct avro_value *nan = ib_avro_field(s, 518, "contains_nan");
    if (nan != NULL && !avro_value_is_null(nan)) {
      ICE_CHECK_DATA(avro_value_as_bool(nan, &fs->contains_nan), err,
                     "'contains_nan' is not a boolean");
      fs->has_contains_nan = true;
    }
    ICE_TRY(opt_bytes_copy(s, 510, "lower_bound", &fs->lower_bound, &fs->lower_len, err));
    ICE_TRY(opt_bytes_copy(s, 511, "upper_bound", &fs->upper_bound, &fs->upper_len, err));
  }
  return ICE_OK;
}

int ib_manifest_list_read(struct ice_input *in, struct ib_manifest_list *out,
                          struct ice_error *err) {
  struct avro_ocf_reader *r = NULL;
  struct ice_arena arena;
  ice_arena_init(&arena, 0);
  struct ib_manifest_list l;
  memset(&l, 0, sizeof(l));
  size_t cap = 0;
  int rc = avro_ocf_reader_open(in, &r, err);
  while (rc == ICE_OK) {
    struct avro_value v;
    bool eof = false;
    ice_arena_reset(&arena);
    rc = avro_ocf_reader_next(r, &arena, &v, &eof, err);
    if (rc != ICE_OK || eof) break;
    if (l.n == cap) {
      if (l.n >= ICE_LIMIT_MANIFESTS_PER_LIST) {
        rc = ice_error_set(err, ICE_ELIMIT, "more than %d manifests",
                           ICE_LIMIT_MANIFESTS_PER_LIST);
        break;
      }
      size_t nc = cap ? cap * 2 : 16;
      struct ib_manifest_file *p = ice_realloc(l.items, nc * sizeof(*p));
      if (p == NULL) {
        rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
        break;
      }
      l.items = p;
      cap = nc;
    }
    ib_manifest_file_init(&l.items[l.n]);
    l.n++;
    rc = read_manifest_file(&v, &l.items[l.n - 1], err);
    if (rc != ICE_OK) ice_error_prefix(err, "entry %zu", l.n - 1);
  }
  ice_arena_reset(&arena);
  avro_ocf_reader_free(r);
  if (rc != ICE_OK) {
    ib_manifest_list_reset(&l);
    return ice_error_prefix_path(err, "manifest list", in->name);
  }
  *out = l;
  return ICE_OK;
}
