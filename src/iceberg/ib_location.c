/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File names under a table location (reference/iceberg.md §3.9, the names Java and
 * pyiceberg use), file: URI <-> local path, and random UUIDv4 (RFC 9562 §5.4).
 */
#include "iceberg/ib_location.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/io_path.h"
#include "util/alloc.h"
#include "util/limits.h"

int ib_uuid4_bytes(uint8_t out[16], struct ice_error *err) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    int rc =
        ice_error_set(err, ICE_EIO, "uuid: cannot open /dev/urandom: %s", strerror(e));
    if (err) err->detail = e;
    return rc;
  }
  size_t got = 0;
  while (got < 16) {
    ssize_t r = read(fd, out + got, 16 - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      close(fd);
      ICE_FAIL(err, ICE_EIO, "uuid: short read from /dev/urandom");
    }
    got += (size_t)r;
  }
  close(fd);
  out[6] = (uint8_t)((out[6] & 0x0F) | 0x40); /* version 4 */
  out[8] = (uint8_t)((out[8] & 0x3F) | 0x80); /* RFC variant */
  return ICE_OK;
}

void ib_uuid_format(const uint8_t b[16], char out[IB_UUID_STR_LEN]) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = hex[b[i] >> 4];
    out[o++] = hex[b[i] & 15];
  }
  out[o] = '\0';
}

int ib_uuid4(char out[IB_UUID_STR_LEN], struct ice_error *err) {
  uint8_t b[16];
  ICE_TRY(ib_uuid4_bytes(b, err));
  ib_uuid_format(b, out);
  return ICE_OK;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int ib_uuid_parse(const char *s, uint8_t out[16], struct ice_error *err) {
  uint8_t b[16];
  size_t bi = 0;
  for (size_t i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      ICE_CHECK_DATA(s[i] == '-', err, "invalid uuid '%.40s'", s);
      continue;
    }
    int h = hexval(s[i]);
    int l = h < 0 ? -1 : hexval(s[i + 1]);
    ICE_CHECK_DATA(h >= 0 && l >= 0, err, "invalid uuid '%.40s'", s);
    b[bi++] = (uint8_t)(h * 16 + l);
    i++;
  }
  ICE_CHECK_DATA(s[36] == '\0', err, "invalid uuid '%.40s'", s);
  memcpy(out, b, 16);
  return ICE_OK;
}

/* printf into a new ice_malloc'd string, capped at ICE_LIMIT_LOCATION_BYTES. */
static int fmt_new(char **out, struct ice_error *err, const char *fmt, ...)
    ICE_PRINTF(3, 4);
static int fmt_new(char **out, struct ice_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) ICE_FAIL(err, ICE_EINTERNAL, "format failed");
  if ((size_t)n >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "location longer than %d bytes",
             (int)ICE_LIMIT_LOCATION_BYTES);
  char *s = ice_malloc((size_t)n + 1);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  *out = s;
  return ICE_OK;
}

/* Length of location without trailing slashes (but keep "file:/" intact). */
static int base_len(const char *location) {
  size_t n = strlen(location);
  while (n > 1 && location[n - 1] == '/') n--;
  if (n > ICE_LIMIT_LOCATION_BYTES) return -1;
  return (int)n;
}

int ib_location_join(const char *base, const char *rel, char **out,
                     struct ice_error *err) {
  int bl = base_len(base);
  if (bl < 0) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  while (*rel == '/') rel++;
  return fmt_new(out, err, "%.*s/%s", bl, base, rel);
}

int ib_location_metadata_file(const char *location, int version, const char *uuid,
                              char **out, struct ice_error *err) {
  if (version < 0) ICE_FAIL(err, ICE_EINVAL, "negative metadata version");
  int bl = base_len(location);
  if (bl < 0) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  return fmt_new(out, err, "%.*s/metadata/%05d-%s.metadata.json", bl, location, version,
                 uuid);
}

int ib_location_metadata_version(const char *metadata_file) {
  const char *name = strrchr(metadata_file, '/');
  name = name ? name + 1 : metadata_file;
  const char *p = name;
  if (*p == 'v') p++;
  if (*p < '0' || *p > '9') return -1;
  long v = 0;
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (*p - '0');
    if (v > INT32_MAX) return -1;
    p++;
  }
  if (name[0] == 'v')
    return strncmp(p, ".metadata.json", 14) == 0 ||
                   strncmp(p, ".gz.metadata.json", 17) == 0
               ? (int)v
               : -1;
  return *p == '-' ? (int)v : -1;
}

int ib_location_manifest(const char *location, const char *commit_uuid, int n, char **out,
                         struct ice_error *err) {
  int bl = base_len(location);
  if (bl < 0) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  return fmt_new(out, err, "%.*s/metadata/%s-m%d.avro", bl, location, commit_uuid, n);
}

int ib_location_manifest_list(const char *location, int64_t snapshot_id, int attempt,
                              const char *commit_uuid, char **out,
                              struct ice_error *err) {
  int bl = base_len(location);
  if (bl < 0) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  return fmt_new(out, err, "%.*s/metadata/snap-%" PRId64 "-%d-%s.avro", bl, location,
                 snapshot_id, attempt, commit_uuid);
}

int ib_location_data_file(const char *location, const char *file_name, char **out,
                          struct ice_error *err) {
  int bl = base_len(location);
  if (bl < 0) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  while (*file_name == '/') file_name++;
  return fmt_new(out, err, "%.*s/data/%s", bl, location, file_name);
}

int ib_location_check_path_chars(const char *what, const char *path,
                                 struct ice_error *err) {
  for (const char *p = path; *p != '\0'; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '#' || ch == '?' || ch < 0x20 || ch == 0x7f)
      ICE_FAIL(err, ICE_EINVAL,
               "%s '%.300s': '#', '?' and control characters cannot appear in a table "
               "location (file: URI readers would cut or change the path there)",
               what, path);
  }
  return ICE_OK;
}

int ib_location_from_local_path(const char *path, char **out, struct ice_error *err) {
  ICE_TRY(ib_location_check_path_chars("path", path, err));
  if (path[0] == '/') return fmt_new(out, err, "file:%s", path);
  char cwd[ICE_LIMIT_LOCATION_BYTES];
  if (getcwd(cwd, sizeof(cwd)) == NULL)
    ICE_FAIL(err, ICE_EIO, "cannot determine the current directory");
  ICE_TRY(ib_location_check_path_chars("current directory", cwd, err));
  const char *rel = path;
  while (rel[0] == '.' && rel[1] == '/') rel += 2;
  if (strcmp(rel, ".") == 0) rel = "";
  size_t cl = strlen(cwd);
  if (cl > 1 && cwd[cl - 1] == '/') cwd[--cl] = '\0';
  if (*rel == '\0') return fmt_new(out, err, "file:%s", cwd);
  return fmt_new(out, err, "file:%s/%s", cwd, rel);
}

int ib_location_to_local_path(const char *uri, char **out, struct ice_error *err) {
  return io_path_from_location(uri, out, err);
}

int ib_location_to_normalized_path(const char *uri, char **out, struct ice_error *err) {
  char *local = NULL;
  ICE_TRY(ib_location_to_local_path(uri, &local, err));
  int rc = io_path_normalize(local, out, err);
  ice_free(local);
  return rc;
}

int ib_location_rebase(const char *uri, const char *prefix, const char *replacement,
                       char **out, struct ice_error *err) {
  size_t pl = strlen(prefix);
  if (strncmp(uri, prefix, pl) == 0)
    return fmt_new(out, err, "%s%s", replacement, uri + pl);
  return fmt_new(out, err, "%s", uri);
}
