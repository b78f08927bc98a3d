/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Identifiers in request paths and bodies. Paths arrive still percent-encoded (the
 * HTTP layer does not unescape them), so "%2F" can never split a segment; a
 * multi-level namespace is one segment whose levels are separated by 0x1F (the spec's
 * unit separator). Levels become directories of table locations, so a level holding
 * '/', NUL, '.', or being "." or ".." is refused here, before any catalog sees it.
 */
#include <jansson.h>
#include <string.h>

#include "serve/srv_route.h"
#include "util/alloc.h"

#define SRV_MAX_SEGMENT 1024

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int srv_segment_decode(const char *seg, size_t n, char **out, struct ice_error *err) {
  if (n == 0) ICE_FAIL(err, ICE_EINVAL, "empty path segment");
  if (n > SRV_MAX_SEGMENT) ICE_FAIL(err, ICE_EINVAL, "path segment is too long");
  char *s = ice_malloc(n + 1);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)seg[i];
    if (c == '%') {
      int hi = i + 1 < n ? hexval(seg[i + 1]) : -1;
      int lo = i + 2 < n ? hexval(seg[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        ice_free(s);
        ICE_FAIL(err, ICE_EINVAL, "bad percent-encoding in path");
      }
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
    } else if (c == '+') {
      c = ' '; /* form-style encoders (Java's URLEncoder) send spaces as '+' */
    }
    if (c == '\0' || c == '/' || c == '\\' || (c < 0x20 && c != 0x1F) || c == 0x7F) {
      ice_free(s);
      ICE_FAIL(err, ICE_EINVAL, "identifier holds a forbidden character (0x%02x)", c);
    }
    s[k++] = (char)c;
  }
  s[k] = '\0';
  *out = s;
  return ICE_OK;
}

static int level_ok(const char *p, size_t n) {
  if (n == 0 || n > 255) return 0;
  if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
  return memchr(p, '.', n) == NULL;
}

int srv_namespace_decode(const char *seg, size_t n, char **out, struct ice_error *err) {
  char *s = NULL;
  ICE_TRY(srv_segment_decode(seg, n, &s, err));
  const char *start = s;
  for (char *p = s;; p++) {
    if (*p == 0x1F || *p == '\0') {
      int end = *p == '\0';
      if (!level_ok(start, (size_t)(p - start))) {
        ice_free(s);
        ICE_FAIL(err, ICE_EINVAL,
                 "namespace level must be 1..255 bytes, without '.', and not '.' or "
                 "'..'");
      }
      if (end) break;
      *p = '.';
      start = p + 1;
    }
  }
  *out = s;
  return ICE_OK;
}

json_t *srv_namespace_json(const char *ns) {
  json_t *a = json_array();
  if (a == NULL) return NULL;
  const char *p = ns;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (json_array_append_new(a, json_stringn(p, n)) != 0) {
      json_decref(a);
      return NULL;
    }
    if (dot == NULL) break;
    p = dot + 1;
  }
  return a;
}

int srv_namespace_from_json(const json_t *arr, char **out, struct ice_error *err) {
  if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 16)
    ICE_FAIL(err, ICE_EINVAL, "'namespace' must be an array of 1..16 strings");
  size_t total = 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const json_t *l = json_array_get(arr, i);
    if (!json_is_string(l)) ICE_FAIL(err, ICE_EINVAL, "'namespace' levels are strings");
    const char *v = json_string_value(l);
    size_t n = json_string_length(l);
    if (!level_ok(v, n) || strlen(v) != n)
      ICE_FAIL(err, ICE_EINVAL,
               "namespace level must be 1..255 bytes, without '.' or NUL, and not '.' "
               "or '..'");
    for (size_t k = 0; k < n; k++)
      if ((unsigned char)v[k] < 0x20 || v[k] == '/' || v[k] == '\\' || v[k] == 0x7F)
        ICE_FAIL(err, ICE_EINVAL, "namespace level holds a forbidden character");
    total += n + 1;
  }
  char *s = ice_malloc(total);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const json_t *l = json_array_get(arr, i);
    if (i > 0) s[k++] = '.';
    memcpy(s + k, json_string_value(l), json_string_length(l));
    k += json_string_length(l);
  }
  s[k] = '\0';
  *out = s;
  return ICE_OK;
}
