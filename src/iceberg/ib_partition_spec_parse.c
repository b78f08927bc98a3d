/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A partition spec written as text (`--partition-by "day(ts), bucket(16, id)"`) parsed
 * and bound to a schema (ib_partition.h). The grammar follows Spark's PARTITIONED BY
 * terms; the default names, the reuse of field ids across specs and the checks follow
 * Java's PartitionSpec.Builder and BaseUpdatePartitionSpec (reference/iceberg.md §1.3),
 * so a spec made here is the spec Java would make from the same terms.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_transform.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

/* One field as written: the transform, the source column's path segments and an
 * optional explicit name. */
struct term {
  struct ib_transform t;
  struct ice_buf path; /* segments, each NUL-terminated */
  size_t n_segments;
  struct ice_buf name; /* NUL-terminated; empty: default */
  bool has_name;
};

struct lexer {
  const char *s;
  size_t pos, len;
};

static void skip_ws(struct lexer *lx) {
  while (lx->pos < lx->len && isspace((unsigned char)lx->s[lx->pos])) lx->pos++;
}

static bool peek(struct lexer *lx, char c) {
  skip_ws(lx);
  return lx->pos < lx->len && lx->s[lx->pos] == c;
}

static bool bare_char(char c) {
  return c != '\0' && !isspace((unsigned char)c) && strchr(",().`", c) == NULL;
}

/* Reads a bare word or a `quoted` one (`` inside stands for `) into out (NUL-ended).
 * *bare tells which it was. ICE_EINVAL when neither is there. */
static int read_word(struct lexer *lx, struct ice_buf *out, bool *bare,
                     struct ice_error *err) {
  skip_ws(lx);
  size_t before = out->len; /* out may hold earlier segments */
  if (lx->pos < lx->len && lx->s[lx->pos] == '`') {
    *bare = false;
    lx->pos++;
    for (;;) {
      if (lx->pos >= lx->len) ICE_FAIL(err, ICE_EINVAL, "unterminated `quoted` name");
      char c = lx->s[lx->pos++];
      if (c == '`') {
        if (lx->pos < lx->len && lx->s[lx->pos] == '`') {
          lx->pos++;
        } else {
          break;
        }
      }
      ICE_TRY(ice_buf_append_byte(out, (uint8_t)c, err));
    }
    if (out->len == before) ICE_FAIL(err, ICE_EINVAL, "empty `quoted` name");
  } else {
    *bare = true;
    size_t start = lx->pos;
    while (lx->pos < lx->len && bare_char(lx->s[lx->pos])) lx->pos++;
    if (lx->pos == start) {
      if (lx->pos >= lx->len) ICE_FAIL(err, ICE_EINVAL, "a column name is missing");
      ICE_FAIL(err, ICE_EINVAL, "unexpected '%c' where a column name belongs",
               lx->s[lx->pos]);
    }
    ICE_TRY(ice_buf_append(out, lx->s + start, lx->pos - start, err));
  }
  return ice_buf_append_byte(out, 0, err);
}

/* A column path: word ('.' word)*; the first word may already be in t->path. */
static int read_column(struct lexer *lx, struct term *t, bool have_first,
                       struct ice_error *err) {
  bool bare;
  if (!have_first) ICE_TRY(read_word(lx, &t->path, &bare, err));
  t->n_segments = 1;
  while (peek(lx, '.')) {
    lx->pos++;
    ICE_TRY(read_word(lx, &t->path, &bare, err));
    t->n_segments++;
  }
  return ICE_OK;
}

static int expect(struct lexer *lx, char c, struct ice_error *err) {
  if (peek(lx, c)) {
    lx->pos++;
    return ICE_OK;
  }
  if (lx->pos >= lx->len) ICE_FAIL(err, ICE_EINVAL, "expected '%c' before the end", c);
  ICE_FAIL(err, ICE_EINVAL, "expected '%c', found '%c'", c, lx->s[lx->pos]);
}

static int read_count(struct lexer *lx, int32_t *out, struct ice_error *err) {
  skip_ws(lx);
  size_t start = lx->pos;
  int64_t v = 0;
  while (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos]) && v <= INT32_MAX)
    v = v * 10 + (lx->s[lx->pos++] - '0');
  if (lx->pos == start || (lx->pos < lx->len && bare_char(lx->s[lx->pos])) || v < 1 ||
      v > INT32_MAX)
    ICE_FAIL(err, ICE_EINVAL, "expected a number from 1 to 2147483647");
  *out = (int32_t)v;
  return ICE_OK;
}

static bool word_is(const char *w, const char *name) {
  return strcasecmp(w, name) == 0;
}

static int transform_named(const char *w, struct ib_transform *out,
                           struct ice_error *err) {
  static const struct {
    const char *name;
    enum ib_transform_kind kind;
  } names[] = {{"identity", IB_TRANSFORM_IDENTITY}, {"bucket", IB_TRANSFORM_BUCKET},
               {"truncate", IB_TRANSFORM_TRUNCATE}, {"year", IB_TRANSFORM_YEAR},
               {"years", IB_TRANSFORM_YEAR},        {"month", IB_TRANSFORM_MONTH},
               {"months", IB_TRANSFORM_MONTH},      {"day", IB_TRANSFORM_DAY},
               {"days", IB_TRANSFORM_DAY},          {"hour", IB_TRANSFORM_HOUR},
               {"hours", IB_TRANSFORM_HOUR},        {"void", IB_TRANSFORM_VOID}};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (word_is(w, names[i].name)) {
      out->kind = names[i].kind;
      out->param = 0;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINVAL,
           "unknown transform '%.40s' (identity, bucket, truncate, year, month, day, "
           "hour, void)",
           w);
}

/* One field, up to (not including) the ',' or end that follows it. */
static int read_term(struct lexer *lx, struct term *t, struct ice_error *err) {
  bool bare;
  ICE_TRY(read_word(lx, &t->path, &bare, err));
  if (bare && peek(lx, '(')) {
    ICE_TRY(transform_named((const char *)t->path.data, &t->t, err));
    ice_buf_clear(&t->path);
    lx->pos++;
    if (t->t.kind == IB_TRANSFORM_BUCKET || t->t.kind == IB_TRANSFORM_TRUNCATE) {
      ICE_TRY(read_count(lx, &t->t.param, err));
      ICE_TRY(expect(lx, ',', err));
    }
    ICE_TRY(read_column(lx, t, false, err));
    ICE_TRY(expect(lx, ')', err));
  } else {
    t->t.kind = IB_TRANSFORM_IDENTITY;
    t->t.param = 0;
    ICE_TRY(read_column(lx, t, true, err));
  }
  skip_ws(lx);
  size_t before = lx->pos;
  if (lx->pos < lx->len && lx->s[lx->pos] != ',') {
    struct ice_buf kw;
    ice_buf_init(&kw, lx->len + 1);
    int rc = read_word(lx, &kw, &bare, err);
    if (rc == ICE_OK && !(bare && word_is((const char *)kw.data, "as"))) {
      lx->pos = before;
      rc = ice_error_set(err, ICE_EINVAL, "expected ',' or AS after the column");
    }
    ice_buf_reset(&kw);
    ICE_TRY(rc);
    ICE_TRY(read_word(lx, &t->name, &bare, err));
    t->has_name = true;
  }
  skip_ws(lx);
  if (lx->pos < lx->len && lx->s[lx->pos] != ',')
    ICE_FAIL(err, ICE_EINVAL, "expected ',' after the name");
  return ICE_OK;
}

/* ---- binding ---- */

static const struct ib_field *child_named(const struct ib_type *t, const char *name) {
  for (size_t i = 0; i < t->n_fields; i++)
    if (strcmp(t->fields[i].name, name) == 0) return &t->fields[i];
  return NULL;
}

/* The source field: each segment a field of the struct before it. full gets the
 * dotted path. */
static int resolve_source(const struct ib_schema *schema, const struct term *t,
                          struct ice_buf *full, const struct ib_field **out,
                          struct ice_error *err) {
  const struct ib_type *in = &schema->root;
  const struct ib_field *f = NULL;
  const char *seg = (const char *)t->path.data;
  for (size_t i = 0; i < t->n_segments; i++) {
    if (i > 0) ICE_TRY(ice_buf_append_byte(full, '.', err));
    ICE_TRY(ice_buf_append(full, seg, strlen(seg), err));
    if (in == NULL) {
      ICE_TRY(ice_buf_append_byte(full, 0, err));
      ICE_FAIL(err, ICE_EINVAL, "column '%.200s' is not inside a struct",
               (const char *)full->data);
    }
    f = child_named(in, seg);
    if (f == NULL) {
      ICE_TRY(ice_buf_append_byte(full, 0, err));
      ICE_FAIL(err, ICE_EINVAL, "no column '%.200s' in the table schema",
               (const char *)full->data);
    }
    in = f->type.id == IB_TYPE_STRUCT ? &f->type : NULL;
    seg += strlen(seg) + 1;
  }
  ICE_TRY(ice_buf_append_byte(full, 0, err));
  if (!ib_type_is_primitive(&f->type))
    ICE_FAIL(err, ICE_EINVAL, "column '%.200s' is a %s, not a primitive column",
             (const char *)full->data,
             f->type.id == IB_TYPE_STRUCT ? "struct"
             : f->type.id == IB_TYPE_LIST ? "list"
                                          : "map");
  *out = f;
  return ICE_OK;
}

static const char *default_suffix(enum ib_transform_kind k) {
  switch (k) {
    case IB_TRANSFORM_BUCKET:
      return "_bucket";
    case IB_TRANSFORM_TRUNCATE:
      return "_trunc";
    case IB_TRANSFORM_YEAR:
      return "_year";
    case IB_TRANSFORM_MONTH:
      return "_month";
    case IB_TRANSFORM_DAY:
      return "_day";
    case IB_TRANSFORM_HOUR:
      return "_hour";
    case IB_TRANSFORM_VOID:
      return "_null";
    default:
      return "";
  }
}

static void transform_string(const struct ib_transform *t, char *buf, size_t cap) {
  static const char *const simple[] = {"identity", "bucket", "truncate", "year",
                                       "month",    "day",    "hour",     "void"};
  if (t->kind == IB_TRANSFORM_BUCKET || t->kind == IB_TRANSFORM_TRUNCATE)
    snprintf(buf, cap, "%s[%d]", simple[t->kind], (int)t->param);
  else
    snprintf(buf, cap, "%s", simple[t->kind]);
}

static bool is_temporal(const char *transform) {
  return strcmp(transform, "year") == 0 || strcmp(transform, "month") == 0 ||
         strcmp(transform, "day") == 0 || strcmp(transform, "hour") == 0;
}

/* The id of a field of base with the same source, transform and name, or 0. */
static int32_t historical_id(const struct ib_table_metadata *base,
                             const struct ib_partition_field *f) {
  for (size_t i = 0; base != NULL && i < base->n_specs; i++) {
    for (size_t j = 0; j < base->specs[i].n_fields; j++) {
      const struct ib_partition_field *g = &base->specs[i].fields[j];
      if (g->source_id == f->source_id && strcmp(g->transform, f->transform) == 0 &&
          strcmp(g->name, f->name) == 0)
        return g->field_id;
    }
  }
  return 0;
}

/* Checks field i of spec against the schema and the fields before it. */
static int check_field(const struct ib_schema *schema, const struct ib_partition_spec *s,
                       size_t i, const struct ib_transform *t, struct ice_error *err) {
  const struct ib_partition_field *f = &s->fields[i];
  if (f->name[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty partition field name");
  const struct ib_field *same = ib_schema_find_by_name(schema, f->name);
  if (same != NULL && !(t->kind == IB_TRANSFORM_IDENTITY && same->id == f->source_id))
    ICE_FAIL(err, ICE_EINVAL,
             "name '%.200s' is a column of the table; only identity(%.200s) may use it",
             f->name, f->name);
  for (size_t j = 0; j < i; j++) {
    const struct ib_partition_field *g = &s->fields[j];
    if (strcmp(g->name, f->name) == 0)
      ICE_FAIL(err, ICE_EINVAL, "name '%.200s' is used twice", f->name);
    if (g->source_id == f->source_id &&
        (strcmp(g->transform, f->transform) == 0 ||
         (is_temporal(g->transform) && is_temporal(f->transform))))
      ICE_FAIL(err, ICE_EINVAL, "redundant with field '%.200s' (%s of the same column)",
               g->name, g->transform);
  }
  return ICE_OK;
}

static int bind_term(const struct ib_schema *schema, const struct term *t,
                     struct ib_partition_spec *s, struct ice_error *err) {
  struct ib_partition_field *f = &s->fields[s->n_fields];
  struct ice_buf full;
  ice_buf_init(&full, t->path.len + 16);
  const struct ib_field *src = NULL;
  char transform[32];
  transform_string(&t->t, transform, sizeof(transform));
  struct ib_type result;
  memset(&result, 0, sizeof(result));
  int rc = resolve_source(schema, t, &full, &src, err);
  if (rc == ICE_OK) {
    rc = ib_transform_result_type(&t->t, &src->type, &result, err);
    char type[48];
    if (rc != ICE_OK)
      rc = ice_error_set(err, ICE_EINVAL, "%s cannot be applied to column '%.200s' (%s)",
                         transform, (const char *)full.data,
                         ib_type_name(&src->type, type, sizeof type));
  }
  if (rc == ICE_OK) {
    f->source_id = src->id;
    f->transform = ice_strdup(transform);
    if (t->has_name) {
      f->name = ice_strdup((const char *)t->name.data);
    } else {
      const char *suffix = default_suffix(t->t.kind);
      size_t n = strlen((const char *)full.data) + strlen(suffix) + 1;
      f->name = ice_malloc(n);
      if (f->name != NULL) snprintf(f->name, n, "%s%s", (const char *)full.data, suffix);
    }
    s->n_fields++; /* owned by s from here, so reset frees it */
    if (f->transform == NULL || f->name == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc == ICE_OK) rc = check_field(schema, s, s->n_fields - 1, &t->t, err);
  ice_buf_reset(&full);
  return rc;
}

/* Where the field starting at start ends, for quoting it in a message: the first ','
 * outside parentheses and backquotes, or the end. */
static size_t field_end(const char *text, size_t start, size_t len) {
  int depth = 0;
  bool quoted = false;
  size_t i = start;
  for (; i < len; i++) {
    char c = text[i];
    if (c == '`') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') depth++;
    if (c == ')' && depth > 0) depth--;
    if (c == ',' && depth == 0) break;
  }
  return i;
}

static void term_reset(struct term *t) {
  ice_buf_reset(&t->path);
  ice_buf_reset(&t->name);
}

/* Assigns field ids once every field is bound (reuse needs the final names). */
static void assign_ids(const struct ib_table_metadata *base,
                       struct ib_partition_spec *s) {
  int32_t next = base == NULL                    ? 1000
                 : base->last_partition_id < 999 ? 1000
                                                 : base->last_partition_id + 1;
  for (size_t i = 0; i < s->n_fields; i++) {
    int32_t old = historical_id(base, &s->fields[i]);
    s->fields[i].field_id = old != 0 ? old : next++;
  }
}

int ib_partition_spec_parse(const char *text, const struct ib_schema *schema,
                            const struct ib_table_metadata *base,
                            struct ib_partition_spec *out, struct ice_error *err) {
  if (text == NULL || schema == NULL)
    ICE_FAIL(err, ICE_EINVAL, "partition spec: text or schema is NULL");
  struct lexer lx = {text, 0, strlen(text)};
  struct ib_partition_spec s;
  memset(&s, 0, sizeof(s));
  size_t cap = 0;
  int rc = ICE_OK;
  skip_ws(&lx);
  while (rc == ICE_OK && lx.pos < lx.len) {
    if (s.n_fields > 0) lx.pos++; /* the ',' read_term stopped at */
    if (s.n_fields == cap) {
      if (cap >= ICE_LIMIT_PARTITION_FIELDS) {
        rc = ice_error_set(err, ICE_ELIMIT, "partition spec: more than %d fields",
                           ICE_LIMIT_PARTITION_FIELDS);
        break;
      }
      size_t ncap = cap ? cap * 2 : 4;
      if (ncap > ICE_LIMIT_PARTITION_FIELDS) ncap = ICE_LIMIT_PARTITION_FIELDS;
      struct ib_partition_field *p = ice_realloc(s.fields, ncap * sizeof(*p));
      if (p == NULL) {
        rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
        break;
      }
      s.fields = p;
      cap = ncap;
    }
    memset(&s.fields[s.n_fields], 0, sizeof(s.fields[0]));
    struct term t;
    memset(&t, 0, sizeof(t));
    /* Segments and names are parts of the text, each plus a NUL. */
    ice_buf_init(&t.path, 2 * lx.len + 2);
    ice_buf_init(&t.name, lx.len + 1);
    size_t index = s.n_fields + 1;
    skip_ws(&lx);
    size_t start = lx.pos;
    rc = read_term(&lx, &t, err);
    if (rc == ICE_OK) rc = bind_term(schema, &t, &s, err);
    if (rc != ICE_OK) {
      size_t end = field_end(text, start, lx.len);
      while (end > start && isspace((unsigned char)text[end - 1])) end--;
      rc = ice_error_prefix(err, "partition spec field %zu '%.*s'", index,
                            (int)(end - start > 200 ? 200 : end - start), text + start);
    }
    term_reset(&t);
    if (rc == ICE_OK && lx.pos < lx.len) {
      /* read_term stopped at ','; another field must follow. */
      size_t after = lx.pos + 1;
      while (after < lx.len && isspace((unsigned char)text[after])) after++;
      if (after >= lx.len)
        rc = ice_error_set(err, ICE_EINVAL,
                           "partition spec: a field is missing after ','");
    }
  }
  if (rc != ICE_OK) {
    ib_partition_spec_reset(&s);
    return rc;
  }
  assign_ids(base, &s);
  *out = s;
  return ICE_OK;
}
