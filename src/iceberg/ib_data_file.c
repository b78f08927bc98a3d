/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DataFile construction helpers: metric maps keyed by field id, split offsets,
 * partition tuples, deep copy and free (spec "Manifests", data_file struct).
 */
#include "iceberg/ib_data_file.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/limits.h"

void ib_data_file_init(struct ib_data_file *f) {
  memset(f, 0, sizeof(*f));
  f->content = IB_CONTENT_DATA;
  f->file_format = IB_FORMAT_PARQUET;
}

static void counts_reset(struct ib_metric_counts *m) {
  ice_free(m->items);
  memset(m, 0, sizeof(*m));
}

static void bounds_reset(struct ib_metric_bounds *m) {
  for (size_t i = 0; i < m->n; i++) ice_free(m->items[i].data);
  ice_free(m->items);
  memset(m, 0, sizeof(*m));
}

static void partition_reset(struct ib_partition_tuple *p) {
  for (size_t i = 0; i < p->n; i++) ice_free((void *)(uintptr_t)p->values[i].value.bytes);
  ice_free(p->values);
  memset(p, 0, sizeof(*p));
}

void ib_data_file_reset(struct ib_data_file *f) {
  ice_free(f->file_path);
  partition_reset(&f->partition);
  counts_reset(&f->column_sizes);
  counts_reset(&f->value_counts);
  counts_reset(&f->null_value_counts);
  counts_reset(&f->nan_value_counts);
  bounds_reset(&f->lower_bounds);
  bounds_reset(&f->upper_bounds);
  ice_free(f->key_metadata);
  ice_free(f->split_offsets);
  ice_free(f->equality_ids);
  ice_free(f->referenced_data_file);
  ib_data_file_init(f);
}

int ib_data_file_set_path(struct ib_data_file *f, const char *path,
                          struct ice_error *err) {
  char *p = ice_strdup(path);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_free(f->file_path);
  f->file_path = p;
  return ICE_OK;
}

/* Grows an array of elem-sized items to hold one more; caps at ICE_LIMIT_COLUMNS
 * entries since every metric is per leaf column. */
static int grow(void **items, size_t *cap, size_t n, size_t elem, struct ice_error *err) {
  if (n < *cap) return ICE_OK;
  if (n >= ICE_LIMIT_COLUMNS)
    ICE_FAIL(err, ICE_ELIMIT, "more than %d metric entries", ICE_LIMIT_COLUMNS);
  size_t nc = *cap ? *cap * 2 : 16;
  void *p = ice_realloc(*items, nc * elem);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *items = p;
  *cap = nc;
  return ICE_OK;
}

int ib_metric_counts_append(struct ib_metric_counts *m, int32_t field_id, int64_t value,
                            struct ice_error *err) {
  void *items = m->items;
  ICE_TRY(grow(&items, &m->cap, m->n, sizeof(*m->items), err));
  m->items = items;
  m->items[m->n].field_id = field_id;
  m->items[m->n].value = value;
  m->n++;
  return ICE_OK;
}

int ib_metric_counts_put(struct ib_metric_counts *m, int32_t field_id, int64_t value,
                         struct ice_error *err) {
  for (size_t i = 0; i < m->n; i++) {
    if (m->items[i].field_id == field_id) {
      m->items[i].value = value;
      return ICE_OK;
    }
  }
  return ib_metric_counts_append(m, field_id, value, err);
}

int ib_metric_bounds_append(struct ib_metric_bounds *m, int32_t field_id,
                            const uint8_t *p, size_t n, struct ice_error *err) {
  void *items = m->items;
  ICE_TRY(grow(&items, &m->cap, m->n, sizeof(*m->items), err));
  m->items = items;
  uint8_t *copy = ice_malloc(n ? n : 1);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (n) memcpy(copy, p, n);
  m->items[m->n].field_id = field_id;
  m->items[m->n].data = copy;
  m->items[m->n].len = n;
  m->n++;
  return ICE_OK;
}

int ib_metric_bounds_put(struct ib_metric_bounds *m, int32_t field_id, const uint8_t *p,
                         size_t n, struct ice_error *err) {
  for (size_t i = 0; i < m->n; i++) {
    if (m->items[i].field_id == field_id) {
      uint8_t *copy = ice_malloc(n ? n : 1);
      if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
      if (n) memcpy(copy, p, n);
      ice_free(m->items[i].data);
      m->items[i].data = copy;
      m->items[i].len = n;
      return ICE_OK;
    }
  }
  return ib_metric_bounds_append(m, field_id, p, n, err);
}

const struct ib_metric_count *ib_metric_counts_get(const struct ib_metric_counts *m,
                                                   int32_t field_id) {
  for (size_t i = 0; i < m->n; i++) {
    if (m->items[i].field_id == field_id) return &m->items[i];
  }
  return NULL;
}

const struct ib_metric_bound *ib_metric_bounds_get(const struct ib_metric_bounds *m,
                                                   int32_t field_id) {
  for (size_t i = 0; i < m->n; i++) {
    if (m->items[i].field_id == field_id) return &m->items[i];
  }
  return NULL;
}

int ib_data_file_add_split_offset(struct ib_data_file *f, int64_t offset,
                                  struct ice_error *err) {
  /* Row groups per file are bounded like list lengths in Parquet metadata. */
  if (f->n_split_offsets >= ICE_LIMIT_THRIFT_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "too many split offsets");
  int64_t *p = ice_realloc(f->split_offsets, (f->n_split_offsets + 1) * sizeof(int64_t));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  p[f->n_split_offsets++] = offset;
  f->split_offsets = p;
  return ICE_OK;
}

int ib_data_file_add_equality_id(struct ib_data_file *f, int32_t field_id,
                                 struct ice_error *err) {
  if (f->n_equality_ids >= ICE_LIMIT_COLUMNS)
    ICE_FAIL(err, ICE_ELIMIT, "too many equality ids");
  int32_t *p = ice_realloc(f->equality_ids, (f->n_equality_ids + 1) * sizeof(int32_t));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  p[f->n_equality_ids++] = field_id;
  f->equality_ids = p;
  return ICE_OK;
}

int ib_data_file_set_partition_fields(struct ib_data_file *f, const int32_t *field_ids,
                                      size_t n, struct ice_error *err) {
  partition_reset(&f->partition);
  if (n == 0) return ICE_OK;
  if (n > ICE_LIMIT_COLUMNS) ICE_FAIL(err, ICE_ELIMIT, "too many partition fields");
  f->partition.values = ice_calloc(n, sizeof(*f->partition.values));
  if (f->partition.values == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  f->partition.n = n;
  for (size_t i = 0; i < n; i++) {
    f->partition.values[i].field_id = field_ids[i];
    f->partition.values[i].is_null = true;
  }
  return ICE_OK;
}

int ib_data_file_set_partition_value(struct ib_data_file *f, size_t i,
                                     const struct ib_value *v, struct ice_error *err) {
  if (i >= f->partition.n)
    ICE_FAIL(err, ICE_EINVAL, "partition index %zu out of range", i);
  struct ib_partition_value *pv = &f->partition.values[i];
  uint8_t *copy = NULL;
  if (v != NULL && v->bytes != NULL) {
    copy = ice_malloc(v->len ? v->len : 1);
    if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    if (v->len) memcpy(copy, v->bytes, v->len);
  }
  ice_free((void *)(uintptr_t)pv->value.bytes);
  memset(&pv->value, 0, sizeof(pv->value));
  if (v == NULL) {
    pv->is_null = true;
    return ICE_OK;
  }
  pv->is_null = false;
  pv->value = *v;
  pv->value.bytes = copy;
  return ICE_OK;
}

static int dup_bytes(void **dst, const void *src, size_t n, struct ice_error *err) {
  *dst = NULL;
  if (src == NULL) return ICE_OK;
  *dst = ice_malloc(n ? n : 1);
  if (*dst == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (n) memcpy(*dst, src, n);
  return ICE_OK;
}

static int copy_inner(struct ib_data_file *d, const struct ib_data_file *s,
                      struct ice_error *err) {
  void *p;
  ICE_TRY(dup_bytes(&p, s->file_path, strlen(s->file_path ? s->file_path : "") + 1, err));
  d->file_path = p;
  ICE_TRY(dup_bytes(&p, s->referenced_data_file,
                    s->referenced_data_file ? strlen(s->referenced_data_file) + 1 : 0,
                    err));
  d->referenced_data_file = p;
  ICE_TRY(dup_bytes(&p, s->key_metadata, s->key_metadata_len, err));
  d->key_metadata = p;
  ICE_TRY(dup_bytes(&p, s->split_offsets, s->n_split_offsets * sizeof(int64_t), err));
  d->split_offsets = p;
  ICE_TRY(dup_bytes(&p, s->equality_ids, s->n_equality_ids * sizeof(int32_t), err));
  d->equality_ids = p;
  const struct ib_metric_counts *sc[4] = {&s->column_sizes, &s->value_counts,
                                          &s->null_value_counts, &s->nan_value_counts};
  struct ib_metric_counts *dc[4] = {&d->column_sizes, &d->value_counts,
                                    &d->null_value_counts, &d->nan_value_counts};
  for (int k = 0; k < 4; k++) {
    ICE_TRY(dup_bytes(&p, sc[k]->items, sc[k]->n * sizeof(struct ib_metric_count), err));
    dc[k]->items = p;
    dc[k]->n = dc[k]->cap = sc[k]->items ? sc[k]->n : 0;
  }
  const struct ib_metric_bounds *sb[2] = {&s->lower_bounds, &s->upper_bounds};
  struct ib_metric_bounds *db[2] = {&d->lower_bounds, &d->upper_bounds};
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < sb[k]->n; i++) {
      ICE_TRY(ib_metric_bounds_append(db[k], sb[k]->items[i].field_id,
                                      sb[k]->items[i].data, sb[k]->items[i].len, err));
    }
  }
  if (s->partition.n > 0) {
    int32_t *ids = ice_calloc(s->partition.n, sizeof(int32_t));
    if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->partition.n; i++) ids[i] = s->partition.values[i].field_id;
    int rc = ib_data_file_set_partition_fields(d, ids, s->partition.n, err);
    ice_free(ids);
    ICE_TRY(rc);
    for (size_t i = 0; i < s->partition.n; i++) {
      const struct ib_partition_value *pv = &s->partition.values[i];
      if (!pv->is_null) ICE_TRY(ib_data_file_set_partition_value(d, i, &pv->value, err));
    }
  }
  return ICE_OK;
}

int ib_data_file_copy(struct ib_data_file *dst, const struct ib_data_file *src,
                      struct ice_error *err) {
  struct ib_data_file tmp;
  ib_data_file_init(&tmp);
  tmp.content = src->content;
  tmp.file_format = src->file_format;
  tmp.record_count = src->record_count;
  tmp.file_size_in_bytes = src->file_size_in_bytes;
  tmp.key_metadata_len = src->key_metadata_len;
  tmp.n_split_offsets = src->n_split_offsets;
  tmp.n_equality_ids = src->n_equality_ids;
  tmp.has_sort_order_id = src->has_sort_order_id;
  tmp.sort_order_id = src->sort_order_id;
  int rc = copy_inner(&tmp, src, err);
  if (rc != ICE_OK) {
    ib_data_file_reset(&tmp);
    return rc;
  }
  if (src->file_path == NULL) {
    ice_free(tmp.file_path);
    tmp.file_path = NULL;
  }
  *dst = tmp;
  return ICE_OK;
}

static const char *const k_format_names[] = {"PARQUET", "AVRO", "ORC", "PUFFIN"};

const char *ib_file_format_name(enum ib_file_format f) {
  if ((unsigned)f < sizeof(k_format_names) / sizeof(k_format_names[0]))
    return k_format_names[f];
  return "PARQUET";
}

int ib_file_format_parse(const char *s, enum ib_file_format *out, struct ice_error *err) {
  for (size_t i = 0; i < sizeof(k_format_names) / sizeof(k_format_names[0]); i++) {
    if (strcasecmp(s, k_format_names[i]) == 0) {
      *out = (enum ib_file_format)i;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_ECORRUPT, "unknown file format '%.32s'", s);
}
