/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ArrowSchema construction and release (Arrow C Data interface, "ArrowSchema" and
 * "Metadata" sections of CDataInterface). Each schema node owns one private block
 * holding its format, name, metadata and its children's structs.
 */
#include "arrow/arrow_schema.h"

#include <limits.h>
#include <string.h>

#include "util/alloc.h"

struct schema_private {
  char *format;
  char *name;
  char *metadata;
  struct ArrowSchema **child_ptrs;
  struct ArrowSchema *child_structs;
};

static void schema_release(struct ArrowSchema *s) {
  if (s == NULL || s->release == NULL) return;
  struct schema_private *p = s->private_data;
  for (int64_t i = 0; i < s->n_children; i++) {
    struct ArrowSchema *c = s->children[i];
    if (c != NULL && c->release != NULL) c->release(c);
  }
  if (s->dictionary != NULL && s->dictionary->release != NULL) {
    s->dictionary->release(s->dictionary);
  }
  if (p != NULL) {
    ice_free(p->format);
    ice_free(p->name);
    ice_free(p->metadata);
    ice_free(p->child_ptrs);
    ice_free(p->child_structs);
    ice_free(p);
  }
  s->release = NULL;
  s->private_data = NULL;
}

void arrow_schema_release(struct ArrowSchema *s) {
  if (s != NULL && s->release != NULL) s->release(s);
}

int arrow_schema_init(struct ArrowSchema *s, const char *format, const char *name,
                      int64_t flags, int64_t n_children, struct ice_error *err) {
  memset(s, 0, sizeof *s);
  if (format == NULL || n_children < 0 || n_children > INT32_MAX) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: schema: bad format or child count");
  }
  struct schema_private *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "arrow: schema: out of memory");
  s->private_data = p;
  s->release = schema_release;
  s->flags = flags;
  p->format = ice_strdup(format);
  p->name = name != NULL ? ice_strdup(name) : NULL;
  if (p->format == NULL || (name != NULL && p->name == NULL)) goto oom;
  s->format = p->format;
  s->name = p->name;
  if (n_children > 0) {
    p->child_ptrs = ice_calloc((size_t)n_children, sizeof *p->child_ptrs);
    p->child_structs = ice_calloc((size_t)n_children, sizeof *p->child_structs);
    if (p->child_ptrs == NULL || p->child_structs == NULL) goto oom;
    for (int64_t i = 0; i < n_children; i++) p->child_ptrs[i] = &p->child_structs[i];
    s->children = p->child_ptrs;
    s->n_children = n_children;
  }
  return ICE_OK;
oom:
  schema_release(s);
  ICE_FAIL(err, ICE_ENOMEM, "arrow: schema: out of memory");
}

int arrow_metadata_encode(const struct arrow_kv *kv, size_t n, char **out,
                          size_t *out_len, struct ice_error *err) {
  size_t total = 4;
  if (n > INT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "arrow: metadata: too many entries");
  for (size_t i = 0; i < n; i++) {
    size_t kl = strlen(kv[i].key), vl = kv[i].value ? strlen(kv[i].value) : 0;
    if (kl > INT32_MAX || vl > INT32_MAX || total > SIZE_MAX / 2 - kl - vl - 8) {
      ICE_FAIL(err, ICE_ELIMIT, "arrow: metadata: entry too large");
    }
    total += 8 + kl + vl;
  }
  char *buf = ice_malloc(total);
  if (buf == NULL) ICE_FAIL(err, ICE_ENOMEM, "arrow: metadata: out of memory");
  int32_t count = (int32_t)n;
  memcpy(buf, &count, 4);
  size_t pos = 4;
  for (size_t i = 0; i < n; i++) {
    int32_t kl = (int32_t)strlen(kv[i].key);
    int32_t vl = kv[i].value ? (int32_t)strlen(kv[i].value) : 0;
    memcpy(buf + pos, &kl, 4);
    memcpy(buf + pos + 4, kv[i].key, (size_t)kl);
    pos += 4 + (size_t)kl;
    memcpy(buf + pos, &vl, 4);
    if (vl > 0) memcpy(buf + pos + 4, kv[i].value, (size_t)vl);
    pos += 4 + (size_t)vl;
  }
  *out = buf;
  *out_len = total;
  return ICE_OK;
}

void arrow_metadata_reader_init(struct arrow_metadata_reader *r, const char *metadata) {
  r->md = metadata;
  r->remaining = 0;
  r->pos = 4;
  if (metadata != NULL) memcpy(&r->remaining, metadata, 4);
}

int arrow_metadata_next(struct arrow_metadata_reader *r, const char **key,
                        int32_t *key_len, const char **value, int32_t *value_len) {
  if (r->md == NULL || r->remaining <= 0) return 0;
  int32_t kl, vl;
  memcpy(&kl, r->md + r->pos, 4);
  if (kl < 0) return 0;
  *key = r->md + r->pos + 4;
  r->pos += 4 + (size_t)kl;
  memcpy(&vl, r->md + r->pos, 4);
  if (vl < 0) return 0;
  *value = r->md + r->pos + 4;
  r->pos += 4 + (size_t)vl;
  *key_len = kl;
  *value_len = vl;
  r->remaining--;
  return 1;
}

size_t arrow_metadata_size(const char *metadata) {
  if (metadata == NULL) return 0;
  struct arrow_metadata_reader r;
  const char *k, *v;
  int32_t kl, vl;
  arrow_metadata_reader_init(&r, metadata);
  while (arrow_metadata_next(&r, &k, &kl, &v, &vl)) {
  }
  return r.pos;
}

int arrow_metadata_find(const char *metadata, const char *key, const char **value,
                        int32_t *value_len) {
  struct arrow_metadata_reader r;
  size_t klen = strlen(key);
  const char *k, *v;
  int32_t kl, vl;
  arrow_metadata_reader_init(&r, metadata);
  while (arrow_metadata_next(&r, &k, &kl, &v, &vl)) {
    if ((size_t)kl == klen && memcmp(k, key, klen) == 0) {
      *value = v;
      *value_len = vl;
      return 1;
    }
  }
  return 0;
}

int arrow_field_id(const struct ArrowSchema *f, bool *has, int32_t *id,
                   struct ice_error *err) {
  const char *v = NULL;
  int32_t n = 0;
  *has = false;
  if (f->metadata == NULL ||
      !arrow_metadata_find(f->metadata, "PARQUET:field_id", &v, &n))
    return ICE_OK;
  /* Parsed by hand: the value is not NUL-terminated, and at most 10 digits fit. */
  int64_t x = 0;
  bool ok = n > 0 && n <= 10;
  for (int32_t i = 0; ok && i < n; i++) {
    ok = v[i] >= '0' && v[i] <= '9';
    x = x * 10 + (v[i] - '0');
  }
  if (!ok || x > INT32_MAX) {
    ICE_FAIL(err, ICE_EINVAL, "PARQUET:field_id '%.*s' is not a field id",
             n > 16 ? 16 : (int)n, n > 0 ? v : "");
  }
  *has = true;
  *id = (int32_t)x;
  return ICE_OK;
}

int arrow_schema_set_metadata(struct ArrowSchema *s, const struct arrow_kv *kv, size_t n,
                              struct ice_error *err) {
  struct schema_private *p = s->private_data;
  char *md = NULL;
  size_t len = 0;
  if (n > 0) ICE_TRY(arrow_metadata_encode(kv, n, &md, &len, err));
  ice_free(p->metadata);
  p->metadata = md;
  s->metadata = md;
  return ICE_OK;
}

/* Copies an encoded metadata blob verbatim. */
static int copy_metadata(struct ArrowSchema *dst, const char *md, struct ice_error *err) {
  if (md == NULL) return ICE_OK;
  size_t len = arrow_metadata_size(md);
  struct schema_private *p = dst->private_data;
  p->metadata = ice_malloc(len);
  if (p->metadata == NULL) ICE_FAIL(err, ICE_ENOMEM, "arrow: schema copy: out of memory");
  memcpy(p->metadata, md, len);
  dst->metadata = p->metadata;
  return ICE_OK;
}

static int copy_into(const struct ArrowSchema *src, struct ArrowSchema *dst, int depth,
                     struct ice_error *err) {
  if (depth > 64) ICE_FAIL(err, ICE_ELIMIT, "arrow: schema copy: nesting too deep");
  if (src->dictionary != NULL) {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "arrow: schema copy: dictionary types unsupported");
  }
  ICE_TRY(
      arrow_schema_init(dst, src->format, src->name, src->flags, src->n_children, err));
  int rc = copy_metadata(dst, src->metadata, err);
  for (int64_t i = 0; rc == ICE_OK && i < src->n_children; i++) {
    rc = copy_into(src->children[i], dst->children[i], depth + 1, err);
  }
  if (rc != ICE_OK) schema_release(dst);
  return rc;
}

int arrow_schema_copy(const struct ArrowSchema *src, struct ArrowSchema *dst,
                      struct ice_error *err) {
  struct ArrowSchema tmp;
  ICE_TRY(copy_into(src, &tmp, 0, err));
  *dst = tmp;
  /* Children pointers refer to the private block, not to tmp, so the move is safe. */
  return ICE_OK;
}
