/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsing of Arrow C Data format strings and metadata into the CLI's field table, and the
 * structural checks of arrays before they are rendered. Format strings follow the Arrow C
 * Data Interface specification; the extension names (arrow.uuid, icestream.int96) follow
 * docs/internals/ARROW.md.
 */
#include "cli_arrow_view.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Reads a decimal integer at *p (no sign); advances *p. Returns -1 when absent or huge.
 */
static int64_t parse_uint(const char **p) {
  int64_t v = 0;
  const char *s = *p;
  if (*s < '0' || *s > '9') return -1;
  while (*s >= '0' && *s <= '9') {
    v = v * 10 + (*s - '0');
    if (v > INT32_MAX) return -1;
    s++;
  }
  *p = s;
  return v;
}

/* Looks up the ARROW:extension:name value in Arrow C metadata (int32 count, then int32
 * length-prefixed keys and values, native endian). Compares without copying. */
static bool has_extension(const char *metadata, const char *want) {
  if (metadata == NULL) return false;
  const char *p = metadata;
  int32_t n;
  memcpy(&n, p, 4);
  p += 4;
  static const char key[] = "ARROW:extension:name";
  size_t want_len = strlen(want);
  for (int32_t i = 0; i < n; i++) {
    int32_t klen, vlen;
    memcpy(&klen, p, 4);
    p += 4;
    if (klen < 0) return false;
    const char *k = p;
    p += klen;
    memcpy(&vlen, p, 4);
    p += 4;
    if (vlen < 0) return false;
    const char *v = p;
    p += vlen;
    if ((size_t)klen == sizeof key - 1 && memcmp(k, key, sizeof key - 1) == 0 &&
        (size_t)vlen == want_len && memcmp(v, want, want_len) == 0) {
      return true;
    }
  }
  return false;
}

static int unsupported(const struct ArrowSchema *sc, struct ice_error *err) {
  return cli_error_set(err, ICE_EUNSUPPORTED,
                       "column '%s': arrow format '%s' cannot be rendered",
                       sc->name ? sc->name : "", sc->format ? sc->format : "(none)");
}

static int parse_time_unit(char c, int8_t *unit) {
  switch (c) {
    case 's':
      *unit = CLI_UNIT_S;
      return 1;
    case 'm':
      *unit = CLI_UNIT_MS;
      return 1;
    case 'u':
      *unit = CLI_UNIT_US;
      return 1;
    case 'n':
      *unit = CLI_UNIT_NS;
      return 1;
    default:
      return 0;
  }
}

/* Fills f from one format string (children are linked by the caller). */
static int parse_format(const struct ArrowSchema *sc, struct cli_field *f,
                        struct ice_error *err) {
  const char *fmt = sc->format;
  if (fmt == NULL) return unsupported(sc, err);
  f->width = 0;
  f->scale = 0;
  f->unit = 0;
  f->utc = false;
  if (fmt[0] != '\0' && fmt[1] == '\0') {
    switch (fmt[0]) {
      case 'n':
        f->kind = CLI_NULL;
        return ICE_OK;
      case 'b':
        f->kind = CLI_BOOL;
        return ICE_OK;
      case 'c':
        f->kind = CLI_INT8;
        return ICE_OK;
      case 'C':
        f->kind = CLI_UINT8;
        return ICE_OK;
      case 's':
        f->kind = CLI_INT16;
        return ICE_OK;
      case 'S':
        f->kind = CLI_UINT16;
        return ICE_OK;
      case 'i':
        f->kind = CLI_INT32;
        return ICE_OK;
      case 'I':
        f->kind = CLI_UINT32;
        return ICE_OK;
      case 'l':
        f->kind = CLI_INT64;
        return ICE_OK;
      case 'L':
        f->kind = CLI_UINT64;
        return ICE_OK;
      case 'e':
        f->kind = CLI_FLOAT16;
        return ICE_OK;
      case 'f':
        f->kind = CLI_FLOAT32;
        return ICE_OK;
      case 'g':
        f->kind = CLI_FLOAT64;
        return ICE_OK;
      case 'u':
        f->kind = CLI_STRING;
        return ICE_OK;
      case 'U':
        f->kind = CLI_LARGE_STRING;
        return ICE_OK;
      case 'z':
        f->kind = CLI_BINARY;
        return ICE_OK;
      case 'Z':
        f->kind = CLI_LARGE_BINARY;
        return ICE_OK;
      default:
        return unsupported(sc, err);
    }
  }
  const char *p;
  int64_t v;
  switch (fmt[0]) {
    case 'w': /* w:N fixed-size binary */
      p = fmt + 2;
      if (fmt[1] != ':' || (v = parse_uint(&p)) <= 0 || *p != '\0')
        return unsupported(sc, err);
      f->width = (int32_t)v;
      f->kind = CLI_FIXED;
      if (v == 16 && has_extension(sc->metadata, "arrow.uuid")) f->kind = CLI_UUID;
      if (v == 12 && has_extension(sc->metadata, "icestream.int96")) f->kind = CLI_INT96;
      return ICE_OK;
    case 'd': { /* d:P,S or d:P,S,BITS */
      p = fmt + 2;
      if (fmt[1] != ':' || parse_uint(&p) <= 0 || *p++ != ',')
        return unsupported(sc, err);
      int32_t sign = 1;
      if (*p == '-') {
        sign = -1;
        p++;
      }
      if ((v = parse_uint(&p)) < 0) return unsupported(sc, err);
      f->scale = sign * (int32_t)v;
      int64_t bits = 128;
      if (*p == ',') {
        p++;
        bits = parse_uint(&p);
      }
      if (*p != '\0' || (bits != 32 && bits != 64 && bits != 128 && bits != 256)) {
        return unsupported(sc, err);
      }
      f->width = (int32_t)(bits / 8);
      f->kind = CLI_DECIMAL;
      return ICE_OK;
    }
    case 't':
      if (fmt[1] == 'd' && fmt[3] == '\0') {
        if (fmt[2] == 'D')
          f->kind = CLI_DATE32;
        else if (fmt[2] == 'm')
          f->kind = CLI_DATE64;
        else
          return unsupported(sc, err);
        return ICE_OK;
      }
      if (fmt[1] == 't' && fmt[2] != '\0' && fmt[3] == '\0') {
        if (!parse_time_unit(fmt[2], &f->unit)) return unsupported(sc, err);
        f->kind = f->unit <= CLI_UNIT_MS ? CLI_TIME32 : CLI_TIME64;
        return ICE_OK;
      }
      if (fmt[1] == 's' && fmt[2] != '\0' && fmt[3] == ':') {
        if (!parse_time_unit(fmt[2], &f->unit)) return unsupported(sc, err);
        f->kind = CLI_TIMESTAMP;
        f->utc = fmt[4] != '\0';
        return ICE_OK;
      }
      return unsupported(sc, err);
    case '+':
      if (fmt[1] == 's' && fmt[2] == '\0')
        f->kind = CLI_STRUCT;
      else if (fmt[1] == 'l' && fmt[2] == '\0')
        f->kind = CLI_LIST;
      else if (fmt[1] == 'L' && fmt[2] == '\0')
        f->kind = CLI_LARGE_LIST;
      else if (fmt[1] == 'm' && fmt[2] == '\0')
        f->kind = CLI_MAP;
      else if (fmt[1] == 'w' && fmt[2] == ':') {
        p = fmt + 3;
        if ((v = parse_uint(&p)) < 0 || *p != '\0') return unsupported(sc, err);
        f->width = (int32_t)v;
        f->kind = CLI_FIXED_LIST;
      } else {
        return unsupported(sc, err);
      }
      return ICE_OK;
    default:
      return unsupported(sc, err);
  }
}

static int parse_node(struct cli_schema *s, int32_t idx, const struct ArrowSchema *sc,
                      int depth, struct ice_error *err) {
  struct cli_field *f = &s->fields[idx];
  if (depth > CLI_MAX_DEPTH) {
    return cli_error_set(err, ICE_ELIMIT, "schema nests deeper than %d levels",
                         CLI_MAX_DEPTH);
  }
  if (sc->dictionary != NULL) {
    return cli_error_set(err, ICE_EUNSUPPORTED,
                         "column '%s': dictionary-encoded arrays cannot be rendered",
                         sc->name ? sc->name : "");
  }
  f->name = sc->name ? sc->name : "";
  CLI_TRY(parse_format(sc, f, err));
  int64_t nc = sc->n_children;
  if (!cli_kind_is_nested(f->kind)) {
    if (nc != 0) return unsupported(sc, err);
    f->first_child = 0;
    f->n_children = 0;
    return ICE_OK;
  }
  if (nc < 0 || (nc > 0 && sc->children == NULL) || (f->kind != CLI_STRUCT && nc != 1)) {
    return cli_error_set(err, ICE_ECORRUPT, "column '%s': %lld children for format '%s'",
                         f->name, (long long)nc, sc->format);
  }
  if (nc > (int64_t)(s->cap - s->n)) {
    return cli_error_set(err, ICE_ELIMIT, "schema has more than %d fields", (int)s->cap);
  }
  int32_t first = s->n;
  s->n += (int32_t)nc;
  f->first_child = first;
  f->n_children = (int32_t)nc;
  for (int64_t i = 0; i < nc; i++) {
    if (sc->children[i] == NULL) {
      return cli_error_set(err, ICE_ECORRUPT, "column '%s': missing child", f->name);
    }
    CLI_TRY(parse_node(s, first + (int32_t)i, sc->children[i], depth + 1, err));
  }
  if (f->kind == CLI_MAP) {
    const struct cli_field *e = &s->fields[first];
    if (e->kind != CLI_STRUCT || e->n_children != 2) {
      return cli_error_set(err, ICE_ECORRUPT,
                           "column '%s': map entries are not a key/value struct",
                           f->name);
    }
  }
  return ICE_OK;
}

int cli_schema_parse(struct cli_schema *s, const struct ArrowSchema *root,
                     struct ice_error *err) {
  if (s->cap < 1) return cli_error_set(err, ICE_ELIMIT, "no room for the schema");
  s->n = 1;
  return parse_node(s, 0, root, 0, err);
}

static int expected_buffers(enum cli_kind k) {
  switch (k) {
    case CLI_NULL:
      return 0;
    case CLI_STRUCT:
    case CLI_FIXED_LIST:
      return 1;
    case CLI_STRING:
    case CLI_LARGE_STRING:
    case CLI_BINARY:
    case CLI_LARGE_BINARY:
      return 3;
    default:
      return 2;
  }
}

int cli_array_check(const struct cli_schema *s, const struct cli_field *f,
                    const struct ArrowArray *a, int depth, struct ice_error *err) {
  if (depth > CLI_MAX_DEPTH) {
    return cli_error_set(err, ICE_ELIMIT, "array nests deeper than %d levels",
                         CLI_MAX_DEPTH);
  }
  CLI_CHECK_DATA(a != NULL && a->release != NULL, err, "column '%s': released array",
                 f->name);
  CLI_CHECK_DATA(a->length >= 0 && a->offset >= 0 && a->length <= INT64_MAX - a->offset,
                 err, "column '%s': bad length %lld / offset %lld", f->name,
                 (long long)a->length, (long long)a->offset);
  int nb = expected_buffers(f->kind);
  /* The null type may come with 0 or 1 buffers depending on the producer. */
  bool nb_ok = a->n_buffers == nb || (f->kind == CLI_NULL && a->n_buffers == 1);
  CLI_CHECK_DATA(nb_ok && (a->n_buffers == 0 || a->buffers != NULL), err,
                 "column '%s': %lld buffers, expected %d", f->name,
                 (long long)a->n_buffers, nb);
  CLI_CHECK_DATA(
      a->n_children == f->n_children && (a->n_children == 0 || a->children != NULL), err,
      "column '%s': %lld child arrays, expected %d", f->name, (long long)a->n_children,
      (int)f->n_children);
  CLI_CHECK_DATA(a->dictionary == NULL, err, "column '%s': unexpected dictionary",
                 f->name);
  if (a->length > 0) {
    for (int b = 1; b < nb; b++) {
      CLI_CHECK_DATA(a->buffers[b] != NULL, err, "column '%s': buffer %d missing",
                     f->name, b);
    }
    if (f->kind != CLI_NULL && a->null_count != 0 && nb > 0) {
      /* a NULL validity buffer with a non-zero null count means "all valid" only when the
       * count is -1 (unknown); anything else is inconsistent. */
      CLI_CHECK_DATA(a->buffers[0] != NULL || a->null_count < 0, err,
                     "column '%s': null_count %lld without a validity buffer", f->name,
                     (long long)a->null_count);
    }
  }
  for (int32_t c = 0; c < f->n_children; c++) {
    const struct cli_field *cf = &s->fields[f->first_child + c];
    const struct ArrowArray *ca = a->children[c];
    CLI_CHECK_DATA(ca != NULL, err, "column '%s': missing child array", f->name);
    CLI_TRY(cli_array_check(s, cf, ca, depth + 1, err));
    if (f->kind == CLI_STRUCT) {
      CLI_CHECK_DATA(ca->length >= a->offset + a->length, err,
                     "column '%s': child '%s' shorter than its struct", f->name,
                     cf->name);
    } else if (f->kind == CLI_FIXED_LIST) {
      CLI_CHECK_DATA(f->width == 0 || ca->length / f->width >= a->offset + a->length, err,
                     "column '%s': fixed-size list child too short", f->name);
    }
  }
  return ICE_OK;
}

int cli_offsets32(const struct ArrowArray *a, int64_t i, int64_t limit, int64_t *begin,
                  int64_t *end, struct ice_error *err) {
  const int32_t *off = (const int32_t *)a->buffers[1];
  int64_t p = a->offset + i;
  int32_t b = off[p], e = off[p + 1];
  CLI_CHECK_DATA(b >= 0 && e >= b && e <= limit, err,
                 "bad offsets %d..%d at slot %lld (limit %lld)", (int)b, (int)e,
                 (long long)i, (long long)limit);
  *begin = b;
  *end = e;
  return ICE_OK;
}

int cli_offsets64(const struct ArrowArray *a, int64_t i, int64_t limit, int64_t *begin,
                  int64_t *end, struct ice_error *err) {
  const int64_t *off = (const int64_t *)a->buffers[1];
  int64_t p = a->offset + i;
  int64_t b = off[p], e = off[p + 1];
  CLI_CHECK_DATA(b >= 0 && e >= b && e <= limit, err,
                 "bad offsets %lld..%lld at slot %lld (limit %lld)", (long long)b,
                 (long long)e, (long long)i, (long long)limit);
  *begin = b;
  *end = e;
  return ICE_OK;
}
