/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the writer tests: build ArrowSchema/ArrowArray trees by hand (through
 * the arrow module's owning builders) and make temporary output paths.
 */
#ifndef ICE_TEST_PARQUET_WRITE_ARROW_H
#define ICE_TEST_PARQUET_WRITE_ARROW_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "util/alloc.h"

/* Schema field with optional PARQUET:field_id (id < 0: none). */
static inline void tw_field(struct ArrowSchema *s, const char *format, const char *name,
                            int nullable, int id, int64_t n_children) {
  struct ice_error err;
  if (arrow_schema_init(s, format, name, nullable ? ARROW_FLAG_NULLABLE : 0, n_children,
                        &err)) {
    fprintf(stderr, "schema init: %s\n", err.message);
    abort();
  }
  if (id >= 0) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", id);
    struct arrow_kv kv = {"PARQUET:field_id", buf};
    if (arrow_schema_set_metadata(s, &kv, 1, &err)) abort();
  }
}

static inline void tw_field_ext(struct ArrowSchema *s, const char *format,
                                const char *name, int nullable, int id, const char *ext) {
  struct ice_error err;
  if (arrow_schema_init(s, format, name, nullable ? ARROW_FLAG_NULLABLE : 0, 0, &err))
    abort();
  char buf[16];
  snprintf(buf, sizeof buf, "%d", id);
  struct arrow_kv kv[2] = {{"PARQUET:field_id", buf}, {"ARROW:extension:name", ext}};
  if (arrow_schema_set_metadata(s, kv, 2, &err)) abort();
}

static inline void *tw_dup(const void *p, size_t n) {
  void *q = ice_malloc(n ? n : 1);
  if (n) memcpy(q, p, n);
  return q;
}

/* Validity bitmap from a 0/1 byte array (NULL -> no bitmap). Sets null_count. */
static inline void tw_validity(struct ArrowArray *a, const uint8_t *valid, int64_t n) {
  if (valid == NULL) {
    a->null_count = 0;
    return;
  }
  uint8_t *bits = ice_calloc((size_t)(n + 7) / 8 + 1, 1);
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; i++) {
    if (valid[i]) {
      bits[i >> 3] = (uint8_t)(bits[i >> 3] | (1u << (i & 7)));
    } else {
      nulls++;
    }
  }
  arrow_array_set_buffer(a, 0, bits);
  a->null_count = nulls;
}

/* Fixed-width primitive array. */
static inline void tw_prim(struct ArrowArray *a, int64_t n, const void *values,
                           size_t width, const uint8_t *valid) {
  struct ice_error err;
  if (arrow_array_init(a, 2, 0, &err)) abort();
  a->length = n;
  tw_validity(a, valid, n);
  arrow_array_set_buffer(a, 1, tw_dup(values, (size_t)n * width));
}

static inline void tw_bool(struct ArrowArray *a, int64_t n, const uint8_t *values,
                           const uint8_t *valid) {
  struct ice_error err;
  if (arrow_array_init(a, 2, 0, &err)) abort();
  a->length = n;
  tw_validity(a, valid, n);
  uint8_t *bits = ice_calloc((size_t)(n + 7) / 8 + 1, 1);
  for (int64_t i = 0; i < n; i++) {
    if (values[i]) bits[i >> 3] = (uint8_t)(bits[i >> 3] | (1u << (i & 7)));
  }
  arrow_array_set_buffer(a, 1, bits);
}

/* String/binary array; vals[i] == NULL is null. lens may be NULL (strlen). */
static inline void tw_str(struct ArrowArray *a, int64_t n, const char *const *vals,
                          const size_t *lens) {
  struct ice_error err;
  if (arrow_array_init(a, 3, 0, &err)) abort();
  a->length = n;
  uint8_t *valid = ice_malloc((size_t)n + 1);
  int32_t *off = ice_malloc(((size_t)n + 1) * 4);
  size_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    valid[i] = vals[i] != NULL;
    if (vals[i]) total += lens ? lens[i] : strlen(vals[i]);
  }
  char *data = ice_malloc(total + 1);
  off[0] = 0;
  size_t pos = 0;
  for (int64_t i = 0; i < n; i++) {
    if (vals[i]) {
      size_t l = lens ? lens[i] : strlen(vals[i]);
      memcpy(data + pos, vals[i], l);
      pos += l;
    }
    off[i + 1] = (int32_t)pos;
  }
  tw_validity(a, valid, n);
  ice_free(valid);
  arrow_array_set_buffer(a, 1, off);
  arrow_array_set_buffer(a, 2, data);
}

static inline void tw_struct(struct ArrowArray *a, int64_t n, int64_t n_children,
                             const uint8_t *valid) {
  struct ice_error err;
  if (arrow_array_init(a, 1, n_children, &err)) abort();
  a->length = n;
  tw_validity(a, valid, n);
}

/* List/map array with int32 offsets (n+1 entries); child 0 left to fill. */
static inline void tw_list(struct ArrowArray *a, int64_t n, const int32_t *offsets,
                           const uint8_t *valid) {
  struct ice_error err;
  if (arrow_array_init(a, 2, 1, &err)) abort();
  a->length = n;
  tw_validity(a, valid, n);
  arrow_array_set_buffer(a, 1, tw_dup(offsets, ((size_t)n + 1) * 4));
}

/* A fresh path under a private temp directory. */
static inline void tw_tmp_path(char *out, size_t n, const char *name) {
  static char dir[256];
  if (dir[0] == '\0') {
    snprintf(dir, sizeof dir, "/tmp/icestream-writer-test-XXXXXX");
    if (mkdtemp(dir) == NULL) abort();
  }
  snprintf(out, n, "%s/%s", dir, name);
  unlink(out);
}

#endif
