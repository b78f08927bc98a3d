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
    /* src's keys are unique, so append is enough (and keeps this linear). */
    int rc = ib_str_map_append(&tmp, src->keys[i], src->values[i], err);
    if (rc != ICE_OK) {
      ib_str_map_reset(&tmp);
      return rc;
    }
  }
  *dst = tmp;
  return ICE_OK;
}

/* ---- bulk changes in O((n + k) log n), for update lists from the network ---- */

static int cmp_str_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted copy of keys[0..n) (the pointers, not the strings); NULL when n is 0. */
static int sorted_keys(char *const *keys, size_t n, const char ***out,
                       struct ice_error *err) {
  *out = NULL;
  if (n == 0) return ICE_OK;
  const char **s = ice_calloc(n, sizeof(char *));
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  memcpy(s, keys, n * sizeof(char *));
  qsort(s, n, sizeof(char *), cmp_str_ptr);
  *out = s;
  return ICE_OK;
}

struct keyed {
  const char *key;
  size_t pos;
};

static int cmp_keyed(const void *a, const void *b) {
  return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

int ib_str_map_set_all(struct ib_str_map *m, const struct ib_str_map *updates,
                       struct ice_error *err) {
  /* An index of m's keys as they are now; keys appended below are never looked up
   * again, since updates' keys are unique. */
  size_t n_old = m->n;
  struct keyed *index = NULL;
  if (n_old > 0) {
    index = ice_calloc(n_old, sizeof(*index));
    if (index == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_old; i++) index[i] = (struct keyed){m->keys[i], i};
    qsort(index, n_old, sizeof(*index), cmp_keyed);
  }
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < updates->n; i++) {
    struct keyed probe = {updates->keys[i], 0};
    const struct keyed *hit =
        n_old ? bsearch(&probe, index, n_old, sizeof(*index), cmp_keyed) : NULL;
    if (hit == NULL) {
      rc = ib_str_map_append(m, updates->keys[i], updates->values[i], err);
      continue;
    }
    char *v = ice_strdup(updates->values[i]);
    if (v == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
      break;
    }
    ice_free(m->values[hit->pos]);
    m->values[hit->pos] = v;
  }
  ice_free(index);
  return rc;
}

int ib_str_map_remove_all(struct ib_str_map *m, char *const *keys, size_t n_keys,
                          struct ice_error *err) {
  const char **gone;
  ICE_TRY(sorted_keys(keys, n_keys, &gone, err));
  size_t kept = 0;
  for (size_t i = 0; i < m->n; i++) {
    const char *k = m->keys[i];
    if (n_keys && bsearch(&k, gone, n_keys, sizeof(char *), cmp_str_ptr) != NULL) {
      ice_free(m->keys[i]);
      ice_free(m->values[i]);
      continue;
    }
    m->keys[kept] = m->keys[i];
    m->values[kept++] = m->values[i];
  }
  m->n = kept;
  ice_free(gone);
  return ICE_OK;
}
