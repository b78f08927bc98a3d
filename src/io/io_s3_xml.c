/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small XML reader for S3's answers (io_s3.h: io_xml_parse). S3 speaks a tiny,
 * flat subset: a prolog, nested elements, attributes (xmlns only), text with the five
 * predefined entities and character references, and rarely CDATA or comments. That is
 * all this reads; DOCTYPEs are refused (no entity expansion, so no "billion laughs").
 * The answer comes from the network: every bound is checked, nothing recurses.
 */
#include <string.h>

#include "io/io_s3.h"
#include "util/alloc.h"

#define XML_MAX_DEPTH 16
#define XML_MAX_PATH 256
#define XML_MAX_TEXT (64u * 1024)
#define XML_MAX_INPUT (64u * 1024 * 1024)

struct xml {
  const char *p, *end;
  char path[XML_MAX_PATH + 1];
  size_t path_len;
  size_t starts[XML_MAX_DEPTH]; /* path length before each open element */
  size_t text_at[XML_MAX_DEPTH]; /* text length when each element opened */
  int depth;
  struct ice_buf text; /* text of the open elements, innermost last */
};

static bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool starts(const struct xml *x, const char *s) {
  size_t n = strlen(s);
  return (size_t)(x->end - x->p) >= n && memcmp(x->p, s, n) == 0;
}

/* Skips to just past `s`; ICE_ECORRUPT when it never comes. */
static int skip_past(struct xml *x, const char *s, struct ice_error *err) {
  size_t n = strlen(s);
  for (const char *q = x->p; (size_t)(x->end - q) >= n; q++) {
    if (memcmp(q, s, n) == 0) {
      x->p = q + n;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unterminated markup (expected '%s')", s);
}

static int utf8_append(struct ice_buf *b, unsigned long cp, struct ice_error *err) {
  uint8_t u[4];
  size_t n;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: invalid character reference");
  if (cp < 0x80) {
    u[0] = (uint8_t)cp, n = 1;
  } else if (cp < 0x800) {
    u[0] = (uint8_t)(0xC0 | (cp >> 6)), u[1] = (uint8_t)(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    u[0] = (uint8_t)(0xE0 | (cp >> 12)), u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (uint8_t)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    u[0] = (uint8_t)(0xF0 | (cp >> 18)), u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return ice_buf_append(b, u, n, err);
}

/* An entity at x->p ('&'), decoded into the text. */
static int entity(struct xml *x, struct ice_error *err) {
  const char *semi = NULL;
  for (const char *q = x->p; q < x->end && q - x->p <= 12; q++)
    if (*q == ';') {
      semi = q;
      break;
    }
  if (semi == NULL) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unterminated entity");
  const char *name = x->p + 1;
  size_t n = (size_t)(semi - name);
  static const struct {
    const char *name;
    char c;
  } named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  int rc = ICE_ECORRUPT;
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (strlen(named[i].name) == n && memcmp(named[i].name, name, n) == 0)
      rc = ice_buf_append_byte(&x->text, (uint8_t)named[i].c, err);
  if (rc == ICE_ECORRUPT && n >= 2 && name[0] == '#') {
    bool hex = name[1] == 'x';
    unsigned long cp = 0;
    size_t i = hex ? 2 : 1;
    if (i == n) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: empty character reference");
    for (; i < n; i++) {
      char c = name[i];
      int d = (c >= '0' && c <= '9')             ? c - '0'
              : hex && (c >= 'a' && c <= 'f')    ? c - 'a' + 10
              : hex && (c >= 'A' && c <= 'F')    ? c - 'A' + 10
                                                 : -1;
      if (d < 0) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: bad character reference");
      cp = cp * (hex ? 16u : 10u) + (unsigned long)d;
      if (cp > 0x10FFFF) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: bad character reference");
    }
    rc = utf8_append(&x->text, cp, err);
  } else if (rc == ICE_ECORRUPT) {
    ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unknown entity");
  }
  ICE_TRY(rc);
  x->p = semi + 1;
  return ICE_OK;
}

static int check_text_len(struct xml *x, struct ice_error *err) {
  size_t base = x->depth > 0 ? x->text_at[x->depth - 1] : 0;
  if (x->text.len - base > XML_MAX_TEXT)
    ICE_FAIL(err, ICE_ELIMIT, "s3: xml: text longer than %u bytes", XML_MAX_TEXT);
  return ICE_OK;
}

/* A tag name at x->p into [*name, *name + *n). */
static int tag_name(struct xml *x, const char **name, size_t *n, struct ice_error *err) {
  const char *s = x->p;
  while (x->p < x->end && is_name_char(*x->p)) x->p++;
  if (x->p == s) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: element without a name");
  *name = s;
  *n = (size_t)(x->p - s);
  return ICE_OK;
}

static int open_tag(struct xml *x, bool *closed, struct ice_error *err) {
  x->p++; /* '<' */
  const char *name;
  size_t n;
  ICE_TRY(tag_name(x, &name, &n, err));
  /* Attributes are skipped: quoted values may hold '>' and '/'. */
  bool empty = false;
  for (;;) {
    if (x->p >= x->end) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unterminated tag");
    char c = *x->p;
    if (c == '"' || c == '\'') {
      const char *q = memchr(x->p + 1, c, (size_t)(x->end - x->p - 1));
      if (q == NULL) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unterminated attribute");
      x->p = q + 1;
    } else if (c == '>') {
      x->p++;
      break;
    } else if (c == '/' && x->p + 1 < x->end && x->p[1] == '>') {
      x->p += 2;
      empty = true;
      break;
    } else if (c == '<') {
      ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: '<' inside a tag");
    } else {
      x->p++;
    }
  }
  if (x->depth == XML_MAX_DEPTH)
    ICE_FAIL(err, ICE_ELIMIT, "s3: xml: nested deeper than %d", XML_MAX_DEPTH);
  size_t add = (x->path_len > 0 ? 1 : 0) + n;
  if (x->path_len + add > XML_MAX_PATH)
    ICE_FAIL(err, ICE_ELIMIT, "s3: xml: element path longer than %d", XML_MAX_PATH);
  x->starts[x->depth] = x->path_len;
  x->text_at[x->depth] = x->text.len;
  x->depth++;
  if (x->path_len > 0) x->path[x->path_len++] = '/';
  memcpy(x->path + x->path_len, name, n);
  x->path_len += n;
  x->path[x->path_len] = '\0';
  *closed = empty;
  return ICE_OK;
}

static int close_element(struct xml *x, io_xml_fn fn, void *user, struct ice_error *err) {
  int d = x->depth - 1;
  size_t at = x->text_at[d];
  ICE_TRY(ice_buf_append_byte(&x->text, 0, err));
  int rc = fn(user, x->path, (const char *)x->text.data + at, x->text.len - 1 - at, err);
  x->text.len = at;
  x->path_len = x->starts[d];
  x->path[x->path_len] = '\0';
  x->depth = d;
  return rc;
}

static int end_tag(struct xml *x, io_xml_fn fn, void *user, struct ice_error *err) {
  x->p += 2; /* "</" */
  const char *name;
  size_t n;
  ICE_TRY(tag_name(x, &name, &n, err));
  while (x->p < x->end && is_space(*x->p)) x->p++;
  if (x->p >= x->end || *x->p != '>')
    ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unterminated end tag");
  x->p++;
  if (x->depth == 0) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: end tag without a start");
  size_t s = x->starts[x->depth - 1];
  const char *open = x->path + s + (s > 0 ? 1 : 0);
  if (strlen(open) != n || memcmp(open, name, n) != 0)
    ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: mismatched end tag");
  return close_element(x, fn, user, err);
}

static int parse(struct xml *x, io_xml_fn fn, void *user, bool *root_seen,
                 struct ice_error *err) {
  while (x->p < x->end) {
    char c = *x->p;
    if (c == '<') {
      if (starts(x, "<?")) {
        ICE_TRY(skip_past(x, "?>", err));
      } else if (starts(x, "<!--")) {
        ICE_TRY(skip_past(x, "-->", err));
      } else if (starts(x, "<![CDATA[")) {
        if (x->depth == 0) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: CDATA outside elements");
        const char *s = x->p + 9;
        x->p = s;
        ICE_TRY(skip_past(x, "]]>", err));
        ICE_TRY(ice_buf_append(&x->text, s, (size_t)(x->p - 3 - s), err));
        ICE_TRY(check_text_len(x, err));
      } else if (starts(x, "<!")) {
        ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: DOCTYPE and declarations are refused");
      } else if (starts(x, "</")) {
        ICE_TRY(end_tag(x, fn, user, err));
      } else {
        if (x->depth == 0 && *root_seen)
          ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: more than one root element");
        *root_seen = true;
        bool closed = false;
        ICE_TRY(open_tag(x, &closed, err));
        if (closed) ICE_TRY(close_element(x, fn, user, err));
      }
    } else if (x->depth == 0) {
      if (!is_space(c)) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: text outside the root");
      x->p++;
    } else if (c == '&') {
      ICE_TRY(entity(x, err));
      ICE_TRY(check_text_len(x, err));
    } else {
      const char *s = x->p;
      while (x->p < x->end && *x->p != '<' && *x->p != '&') x->p++;
      ICE_TRY(ice_buf_append(&x->text, s, (size_t)(x->p - s), err));
      ICE_TRY(check_text_len(x, err));
    }
  }
  if (x->depth != 0) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: unclosed element");
  if (!*root_seen) ICE_FAIL(err, ICE_ECORRUPT, "s3: xml: no element");
  return ICE_OK;
}

int io_xml_parse(const char *data, size_t len, io_xml_fn fn, void *user,
                 struct ice_error *err) {
  if (len > XML_MAX_INPUT)
    ICE_FAIL(err, ICE_ELIMIT, "s3: xml answer larger than %u bytes", XML_MAX_INPUT);
  struct xml x;
  memset(&x, 0, sizeof x);
  x.p = data;
  x.end = data + len;
  /* Every open element's text at once is bounded by the depth. */
  ice_buf_init(&x.text, (size_t)XML_MAX_DEPTH * (XML_MAX_TEXT + 8));
  bool root = false;
  int rc = parse(&x, fn, user, &root, err);
  ice_buf_reset(&x.text);
  return rc;
}
