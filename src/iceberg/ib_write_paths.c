/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Location properties of a table (ib_write_paths.h). Java and pyiceberg agree on the
 * layout; both take write.data.path / write.metadata.path as given, and join a relative
 * value to nothing, which no reader could resolve, so here it is joined to the table
 * location instead.
 */
#include "iceberg/ib_write_paths.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_transform.h"
#include "io/io_path.h"
#include "util/alloc.h"
#include "util/limits.h"

#define DATA_PATH "write.data.path"
#define METADATA_PATH "write.metadata.path"
#define OBJECT_STORAGE "write.object-storage.enabled"
#define PARTITIONED_PATHS "write.object-storage.partitioned-paths"

int ib_uri_has_scheme(const char *s) {
  return io_path_scheme_len(s) > 0;
}

static int climbs(const char *rel) {
  for (const char *p = rel; *p != '\0';) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.') return 1;
    p += n;
    while (*p == '/') p++;
  }
  return 0;
}

static int resolve_dir(const char *location, const struct ib_str_map *props,
                       const char *key, const char *dflt, char **out,
                       struct ice_error *err) {
  const char *v = props ? ib_str_map_get(props, key) : NULL;
  if (v == NULL || v[0] == '\0') return ib_location_join(location, dflt, out, err);
  size_t n = strlen(v);
  if (n >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "table property %s is longer than %d bytes", key,
             (int)ICE_LIMIT_LOCATION_BYTES);
  if (!ib_uri_has_scheme(v) && v[0] != '/') {
    if (climbs(v))
      ICE_FAIL(err, ICE_EINVAL,
               "table property %s=%s: a relative path may not climb out of the table "
               "location with '..'",
               key, v);
    return ib_location_join(location, v, out, err);
  }
  while (n > 1 && v[n - 1] == '/') n--;
  /* A plain absolute path becomes the file: URI every other location here is. */
  int plain = v[0] == '/';
  char *s = ice_malloc(n + (plain ? 5 : 0) + 1);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(s, n + (plain ? 5 : 0) + 1, "%s%.*s", plain ? "file:" : "", (int)n, v);
  *out = s;
  return ICE_OK;
}

int ib_write_paths_metadata_dir(const char *location, const struct ib_str_map *props,
                                char **out, struct ice_error *err) {
  return resolve_dir(location, props, METADATA_PATH, "metadata", out, err);
}

int ib_write_paths_data_dir(const char *location, const struct ib_str_map *props,
                            char **out, struct ice_error *err) {
  return resolve_dir(location, props, DATA_PATH, "data", out, err);
}

/* Java's Boolean.parseBoolean and pyiceberg read anything but "true" as false; a typo
 * that silently changes where files go is refused here instead. */
static int flag(const struct ib_str_map *props, const char *key, int dflt, int *out,
                struct ice_error *err) {
  const char *v = props ? ib_str_map_get(props, key) : NULL;
  if (v == NULL) {
    *out = dflt;
  } else if (strcasecmp(v, "true") == 0) {
    *out = 1;
  } else if (strcasecmp(v, "false") == 0) {
    *out = 0;
  } else {
    ICE_FAIL(err, ICE_EINVAL, "table property %s=%s: expected true or false", key, v);
  }
  return ICE_OK;
}

int ib_write_paths_validate(const char *location, const struct ib_str_map *props,
                            struct ice_error *err) {
  char *d = NULL;
  ICE_TRY(ib_write_paths_data_dir(location, props, &d, err));
  ice_free(d);
  ICE_TRY(ib_write_paths_metadata_dir(location, props, &d, err));
  ice_free(d);
  int on = 0;
  ICE_TRY(flag(props, OBJECT_STORAGE, 0, &on, err));
  return flag(props, PARTITIONED_PATHS, 1, &on, err);
}

/* dir + "/" + printf(fmt, ...) in a new string. */
static int in_dir(const char *dir, char **out, struct ice_error *err, const char *fmt,
                  ...) ICE_PRINTF(4, 5);
static int in_dir(const char *dir, char **out, struct ice_error *err, const char *fmt,
                  ...) {
  char name[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof name) ICE_FAIL(err, ICE_ELIMIT, "file name too long");
  return ib_location_join(dir, name, out, err);
}

int ib_write_paths_metadata_file(const struct ib_table_metadata *md, int version,
                                 const char *uuid, char **out, struct ice_error *err) {
  if (version < 0) ICE_FAIL(err, ICE_EINVAL, "negative metadata version");
  char *dir = NULL;
  ICE_TRY(ib_write_paths_metadata_dir(md->location, &md->properties, &dir, err));
  int rc = in_dir(dir, out, err, "%05d-%s.metadata.json", version, uuid);
  ice_free(dir);
  return rc;
}

int ib_write_paths_manifest(const struct ib_table_metadata *md, const char *commit_uuid,
                            int n, char **out, struct ice_error *err) {
  char *dir = NULL;
  ICE_TRY(ib_write_paths_metadata_dir(md->location, &md->properties, &dir, err));
  int rc = in_dir(dir, out, err, "%s-m%d.avro", commit_uuid, n);
  ice_free(dir);
  return rc;
}

int ib_write_paths_manifest_list(const struct ib_table_metadata *md, int64_t snapshot_id,
                                 int attempt, const char *commit_uuid, char **out,
                                 struct ice_error *err) {
  char *dir = NULL;
  ICE_TRY(ib_write_paths_metadata_dir(md->location, &md->properties, &dir, err));
  int rc = in_dir(dir, out, err, "snap-%" PRId64 "-%d-%s.avro", snapshot_id, attempt,
                  commit_uuid);
  ice_free(dir);
  return rc;
}

void ib_write_paths_entropy(const char *file_name, char out[IB_ENTROPY_LEN]) {
  uint32_t h = (uint32_t)ib_murmur3_32((const uint8_t *)file_name, strlen(file_name));
  size_t o = 0;
  for (int bit = 19; bit >= 0; bit--) {
    /* 4 + 4 + 4 digits as folders, the last 8 as one part. */
    if (bit == 15 || bit == 11 || bit == 7) out[o++] = '/';
    out[o++] = (char)('0' + ((h >> bit) & 1u));
  }
  out[o] = '\0';
}

int ib_write_paths_data_file(const struct ib_table_metadata *md, const char *file_name,
                             char **out, struct ice_error *err) {
  const struct ib_str_map *props = &md->properties;
  int object_storage = 0, partitioned = 1;
  ICE_TRY(flag(props, OBJECT_STORAGE, 0, &object_storage, err));
  ICE_TRY(flag(props, PARTITIONED_PATHS, 1, &partitioned, err));
  while (*file_name == '/') file_name++;
  char *dir = NULL;
  ICE_TRY(ib_write_paths_data_dir(md->location, props, &dir, err));
  int rc;
  if (!object_storage) {
    rc = ib_location_join(dir, file_name, out, err);
  } else {
    /* The hash covers the whole relative name (partition folders too, as Java's). */
    char entropy[IB_ENTROPY_LEN];
    ib_write_paths_entropy(file_name, entropy);
    rc = in_dir(dir, out, err, "%s%c%s", entropy, partitioned ? '/' : '-', file_name);
  }
  ice_free(dir);
  return rc;
}
