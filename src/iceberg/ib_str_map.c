/* SPDX-License-Identifier: Apache-2.0 */
/* Ordered string map for table properties and snapshot summaries. */
#include "iceberg/ib_str_map.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void ib_str_map_init(struct ib_str_map *m) {
  memset(m, 0, sizeof(*m));
}

void ib_str_map_reset(struct ib_str_map *m) {
  for (size_t i = 0; i < m->n; i++) {
    ice_free(m->keys[i]);
    ice_free(m->values[i]);
  }
  ice_free(m->keys);
  ice_free(m->values);
  ib_str_map_init(m);
}

static ptrdiff_t find(const struct ib_str_map *m, const char *key) {
  for (size_t i = 0; i < m->n; i++) {
    if (strcmp(m->keys[i], key) == 0) return (ptrdiff_t)i;
  }
  return -1;
}

int ib_str_map_append(struct ib_str_map *m, const char *key, const char *value,
                      struct ice_error *err) {
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 8;
    char **k2 = ice_realloc(m->keys, nc * sizeof(char *));
    if (k2 == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    m->keys = k2;
    char **v2 = ice_realloc(m->values, nc * sizeof(char *));
    if (v2 == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    m->values = v2;
    m->cap = nc;
  }
  char *k = ice_strdup(key);
  char *v = ice_strdup(value);
  if (k == NULL || v == NULL) {
    ice_free(k);
    ice_free(v);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  m->keys[m->n] = k;
  m->values[m->n] = v;
  m->n++;
  return ICE_OK;
}

int ib_str_map_set(struct ib_str_map *m, const char *key, const char *value,
                   struct ice_error *err) {
  ptrdiff_t i = find(m, key);
  if (i < 0) return ib_str_map_append(m, key, value, err);
  char *v = ice_strdup(value);
  if (v == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_free(m->values[i]);
  m->values[i] = v;
  return ICE_OK;
}

int ib_str_map_set_i64(struct ib_str_map *m, const char *key, int64_t value,
                       struct ice_error *err) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%" PRId64, value);
  return ib_str_map_set(m, key, buf, err);
}

const char *ib_str_map_get(const struct ib_str_map *m, const char *key) {
  ptrdiff_t i = find(m, key);
  return i >= 0 ? m->values[i] : NULL;
}

int ib_str_map_get_i64(const struct ib_str_map *m, const char *key, int64_t *out) {
  const char *v = ib_str_map_get(m, key);
  if (v == NULL || *v == '\0') return -1;
  char *end = NULL;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno != 0 || *end != '\0') return -1;
  *out = (int64_t)x;
  return 0;
}

int ib_str_map_remove(struct ib_str_map *m, const char *key) {
  ptrdiff_t i = find(m, key);
  if (i < 0) return 0;
  ice_free(m->keys[i]);
  ice_free(m->values[i]);
  for (size_t j = (size_t)i + 1; j < m->n; j++) {
    m->keys[j - 1] = m->keys[j];
    m->values[j - 1] = m->values[j];
  }
  m->n--;
  return 1;
}

int ib_str_map_copy(struct ib_str_map *dst, const struct ib_str_map *src,
                    struct ice_error *err) {
  struct ib_str_map tmp;
  ib_str_map_init(&tmp);
  for (size_t i = 0; i < src->n; i++) {
    int rc = ib_str_map_set(&tmp, src->keys[i], src->values[i], err);
    if (rc != ICE_OK) {
      ib_str_map_reset(&tmp);
      return rc;
    }
  }
  *dst = tmp;
  return ICE_OK;
}
