/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FileIO (io_fileio.h): location map, scheme dispatch, write roots. Every call
 * resolves its location the same way (map, then scheme), so a read, a write, a delete
 * and a listing of one location always reach the same file. Reads use the mapped path
 * as written; writes and deletes use its lexically normalised form, the form the roots
 * are judged on, so "/wh/../etc" can never be written through a root "/wh".
 */
#include "io/io_fileio.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/io_path.h"
#include "io/io_s3.h"
#include "util/alloc.h"
#include "util/limits.h"

struct map_entry {
  char *prefix;
  char *dir;
};

struct io_fileio {
  struct map_entry *map;
  size_t n_map;
  struct io_str_list roots; /* normalised local paths and "s3://bucket/prefix" */
  struct io_s3_config s3cfg;
  struct io_s3 *s3; /* made at the first S3 request (environment read then) */
};

int io_str_list_push(struct io_str_list *l, const char *s, struct ice_error *err) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **p = ice_realloc(l->items, cap * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    l->items = p;
    l->cap = cap;
  }
  char *copy = ice_strdup(s);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  l->items[l->n++] = copy;
  return ICE_OK;
}

void io_str_list_reset(struct io_str_list *l) {
  for (size_t i = 0; i < l->n; i++) ice_free(l->items[i]);
  ice_free(l->items);
  l->items = NULL;
  l->n = l->cap = 0;
}

int io_fileio_new(struct io_fileio **out, struct ice_error *err) {
  struct io_fileio *f = ice_calloc(1, sizeof *f);
  if (f == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  io_s3_config_init(&f->s3cfg);
  *out = f;
  return ICE_OK;
}

void io_fileio_free(struct io_fileio *f) {
  if (f == NULL) return;
  for (size_t i = 0; i < f->n_map; i++) {
    ice_free(f->map[i].prefix);
    ice_free(f->map[i].dir);
  }
  ice_free(f->map);
  io_str_list_reset(&f->roots);
  io_s3_free(f->s3);
  io_s3_config_reset(&f->s3cfg);
  ice_free(f);
}

/* ---- location map ---- */

/* Checks the entry p[0..len); *plen is the length of its PREFIX. It ends at the first
 * "=/" (DIR is absolute), so a prefix may hold Hive-style "k=v" folders. */
static int check_map(const char *p, size_t len, const char *source, size_t *plen,
                     struct ice_error *err) {
  const char *eq = NULL;
  for (size_t i = 0; eq == NULL && i + 1 < len; i++)
    if (p[i] == '=' && p[i + 1] == '/') eq = p + i;
  if (eq == NULL) eq = memchr(p, '=', len); /* for the message's sake only */
  *plen = eq ? (size_t)(eq - p) : 0;
  /* An empty or relative target would put a table's files at '/' or wherever the
   * process happens to run. */
  if (eq == NULL || *plen == 0 || eq + 1 == p + len || eq[1] != '/')
    ICE_FAIL(err, ICE_EINVAL, "%s entry '%.*s' is not PREFIX=DIR with an absolute DIR",
             source, (int)(len > 300 ? 300 : len), p);
  if (len >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "%s entry is longer than %d bytes", source,
             (int)ICE_LIMIT_LOCATION_BYTES);
  return ICE_OK;
}

static int add_map(struct io_fileio *f, const char *p, size_t len, const char *source,
                   struct ice_error *err) {
  size_t plen = 0;
  ICE_TRY(check_map(p, len, source, &plen, err));
  struct map_entry *grown = ice_realloc(f->map, (f->n_map + 1) * sizeof *grown);
  if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  f->map = grown;
  char *prefix = ice_strndup(p, plen);
  char *dir = ice_strndup(p + plen + 1, len - plen - 1);
  if (prefix == NULL || dir == NULL) {
    ice_free(prefix);
    ice_free(dir);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  f->map[f->n_map++] = (struct map_entry){prefix, dir};
  return ICE_OK;
}

int io_fileio_check_map(const char *entry, const char *source, struct ice_error *err) {
  size_t plen = 0;
  return check_map(entry, strlen(entry), source, &plen, err);
}

int io_fileio_add_map(struct io_fileio *f, const char *entry, const char *source,
                      struct ice_error *err) {
  return add_map(f, entry, strlen(entry), source, err);
}

int io_fileio_add_map_list(struct io_fileio *f, const char *list, const char *source,
                           struct ice_error *err) {
  if (strlen(list) >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "%s is longer than %d bytes", source,
             (int)ICE_LIMIT_LOCATION_BYTES);
  for (const char *p = list; p != NULL && *p != '\0';) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 0) ICE_TRY(add_map(f, p, len, source, err));
    p = end ? end + 1 : NULL;
  }
  return ICE_OK;
}

size_t io_fileio_map_size(const struct io_fileio *f) {
  return f->n_map;
}

/* ---- object storage settings ---- */

bool io_fileio_is_storage_property(const char *key) {
  return io_s3_config_knows(key);
}

bool io_fileio_storage_started(const struct io_fileio *f) {
  return f->s3 != NULL;
}

int io_fileio_set_storage_property(struct io_fileio *f, const char *key,
                                   const char *value, struct ice_error *err) {
  if (f->s3 != NULL)
    ICE_FAIL(err, ICE_EINTERNAL, "storage property %s set after the first request", key);
  return io_s3_config_set(&f->s3cfg, key, value, err);
}

static int s3_client(const struct io_fileio *cf, const char *location,
                     struct io_s3 **out, struct ice_error *err) {
  /* Made on first use, so tables on local disk never need S3 settings; the FileIO is
   * logically const (the client is a cache of its settings). */
  struct io_fileio *f = (struct io_fileio *)(uintptr_t)cf;
  if (f->s3 == NULL) {
    int rc = io_s3_config_from_env(&f->s3cfg, err);
    if (rc == ICE_OK) rc = io_s3_new(&f->s3cfg, &f->s3, err);
    if (rc != ICE_OK) return ice_error_prefix_path(err, "", location);
  }
  *out = f->s3;
  return ICE_OK;
}

/* ---- resolution: map, then scheme ---- */

/* The storage behind a location. */
enum storage { STORAGE_LOCAL, STORAGE_S3 };

struct resolved {
  enum storage storage;
  char *key;    /* local path, or "s3://bucket/key" whatever the s3 scheme (owned) */
  char *bucket; /* S3 only (owned) */
  char *okey;   /* S3 only: the object key (owned) */
};

static void resolved_reset(struct resolved *r) {
  ice_free(r->key);
  ice_free(r->bucket);
  ice_free(r->okey);
  memset(r, 0, sizeof *r);
}

/* An S3 location: the key is used literally by every call (S3 has no folders to
 * fold "a//b" or "a/./b" into; writes refuse such keys instead). */
static int resolve_s3(const char *mapped, struct resolved *r, struct ice_error *err) {
  ICE_TRY(io_s3_split(mapped, &r->bucket, &r->okey, err));
  size_t n = strlen(r->bucket) + strlen(r->okey) + 7;
  r->key = ice_malloc(n);
  if (r->key == NULL) {
    resolved_reset(r);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  snprintf(r->key, n, "s3://%s/%s", r->bucket, r->okey);
  /* "s3://b/wh/" judged as the folder "s3://b/wh", as local paths are. */
  size_t kl = strlen(r->key);
  if (r->key[kl - 1] == '/') r->key[kl - 1] = '\0';
  r->storage = STORAGE_S3;
  return ICE_OK;
}

/* The location after the map (owned): DIR + the rest, literally. */
static int apply_map(const struct io_fileio *f, const char *location, char **out,
                     struct ice_error *err) {
  const char *dir = "", *rest = location;
  for (size_t i = 0; i < f->n_map; i++) {
    size_t pl = strlen(f->map[i].prefix);
    if (strncmp(location, f->map[i].prefix, pl) == 0) {
      dir = f->map[i].dir;
      rest = location + pl;
      break;
    }
  }
  size_t n = strlen(dir) + strlen(rest);
  if (n >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "location longer than %d bytes",
             (int)ICE_LIMIT_LOCATION_BYTES);
  char *s = ice_malloc(n + 1);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(s, n + 1, "%s%s", dir, rest);
  *out = s;
  return ICE_OK;
}

static int resolve(const struct io_fileio *f, const char *location, bool normalize,
                   struct resolved *r, struct ice_error *err) {
  if (location == NULL || location[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "empty file location");
  char *mapped = NULL;
  ICE_TRY(apply_map(f, location, &mapped, err));
  if (mapped == NULL) ICE_FAIL(err, ICE_EINTERNAL, "location map gave no location");
  size_t sl = io_path_scheme_len(mapped);
  int rc;
  if (mapped[0] == '/' || (sl == 4 && strncmp(mapped, "file", 4) == 0)) {
    char *path = NULL;
    rc = io_path_from_location(mapped, &path, err);
    if (rc == ICE_OK && normalize) {
      rc = io_path_normalize(path, &r->key, err);
      ice_free(path);
    } else if (rc == ICE_OK) {
      r->key = path;
    }
    r->storage = STORAGE_LOCAL;
  } else if (io_s3_is_location(mapped)) {
    rc = resolve_s3(mapped, r, err);
  } else if (sl > 0) {
    rc = ice_error_set(
        err, ICE_EUNSUPPORTED,
        "%.400s: this storage (scheme '%.*s:') is not supported; local files and "
        "s3:// / s3a:// are (--location-map PREFIX=DIR maps it to a local folder)",
        location, (int)(sl > 32 ? 32 : sl), mapped);
  } else {
    rc = ice_error_set(err, ICE_EINVAL,
                       "file location '%.400s' is neither a URI nor an absolute path",
                       location);
  }
  ice_free(mapped);
  return rc;
}

int io_fileio_local_path(const struct io_fileio *f, const char *location, char **out,
                         struct ice_error *err) {
  struct resolved r = {0};
  ICE_TRY(resolve(f, location, true, &r, err));
  *out = r.key;
  r.key = NULL;
  resolved_reset(&r);
  return ICE_OK;
}

int64_t io_fileio_output_hold(const struct io_fileio *f, const char *location) {
  struct resolved r = {0};
  struct ice_error ignored;
  if (resolve(f, location, false, &r, &ignored) != ICE_OK) return 0;
  bool s3 = r.storage == STORAGE_S3;
  resolved_reset(&r);
  if (!s3) return 0;
  return (int64_t)(f->s3 != NULL ? io_s3_part_size(f->s3) : f->s3cfg.part_size);
}

/* ---- write roots ---- */

int io_fileio_allow(struct io_fileio *f, const char *prefix, struct ice_error *err) {
  if (prefix == NULL || prefix[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "allow-location is empty (give a directory)");
  char *path = NULL;
  int rc;
  size_t sl = io_path_scheme_len(prefix);
  if (prefix[0] == '/' || (sl == 4 && strncmp(prefix, "file", 4) == 0)) {
    char *raw = NULL;
    rc = io_path_from_location(prefix, &raw, err);
    if (rc == ICE_OK) rc = io_path_normalize(raw, &path, err);
    ice_free(raw);
  } else if (io_s3_is_location(prefix)) {
    struct resolved r = {0};
    rc = resolve_s3(prefix, &r, err);
    if (rc == ICE_OK) {
      path = r.key;
      r.key = NULL;
    }
    resolved_reset(&r);
  } else if (strstr(prefix, "://") != NULL) {
    rc = ice_error_set(err, ICE_EINVAL,
                       "only local directories, file: and s3:// locations can be allowed");
  } else {
    char cwd[ICE_LIMIT_LOCATION_BYTES];
    char joined[2 * ICE_LIMIT_LOCATION_BYTES];
    if (getcwd(cwd, sizeof cwd) == NULL) {
      rc = ice_error_set(err, ICE_EIO, "cannot determine the current directory");
    } else if ((size_t)snprintf(joined, sizeof joined, "%s/%s", cwd, prefix) >=
               sizeof joined) {
      rc = ice_error_set(err, ICE_ELIMIT, "allowed directory is too long");
    } else {
      rc = io_path_normalize(joined, &path, err);
    }
  }
  if (rc == ICE_OK) rc = io_str_list_push(&f->roots, path, err);
  ice_free(path);
  if (rc != ICE_OK) return ice_error_prefix(err, "allow-location '%.300s'", prefix);
  return ICE_OK;
}

static bool under_a_root(const struct io_fileio *f, const char *path) {
  for (size_t i = 0; i < f->roots.n; i++)
    if (io_path_is_under(path, f->roots.items[i])) return true;
  return false;
}

int io_fileio_may_write(const struct io_fileio *f, const char *location, bool *yes,
                        char **where, struct ice_error *err) {
  struct resolved r = {0};
  ICE_TRY(resolve(f, location, true, &r, err));
  *yes = under_a_root(f, r.key);
  if (where != NULL) {
    *where = r.key;
    r.key = NULL;
  }
  resolved_reset(&r);
  return ICE_OK;
}

/* Resolves a location to be written or deleted: normalised, inside a root. */
static int resolve_writable(const struct io_fileio *f, const char *location,
                            struct resolved *r, struct ice_error *err) {
  ICE_TRY(resolve(f, location, true, r, err));
  if (under_a_root(f, r->key)) {
    if (r->storage != STORAGE_S3) return ICE_OK;
    int rc = io_s3_check_write_key(r->bucket, r->okey, err);
    if (rc != ICE_OK) resolved_reset(r);
    return rc;
  }
  int rc =
      ice_error_set(err, ICE_EAUTH,
                    "refusing to write %.400s: outside the warehouse and every allowed "
                    "root (--allow-location PREFIX allows one)",
                    r->key);
  resolved_reset(r);
  return rc;
}

/* ---- operations ---- */

int io_fileio_open_input(const struct io_fileio *f, const char *location,
                         struct ice_input **in, struct ice_error *err) {
  struct resolved r = {0};
  ICE_TRY(resolve(f, location, false, &r, err));
  /* Named as the table records it (messages add the local file when mapped). */
  struct io_s3 *s3 = NULL;
  int rc = ICE_OK;
  if (r.storage == STORAGE_S3) {
    rc = s3_client(f, location, &s3, err);
    if (rc == ICE_OK) rc = io_s3_open_input(s3, r.bucket, r.okey, location, in, err);
  } else {
    rc = io_local_open_read_as(r.key, location, in, err);
  }
  resolved_reset(&r);
  return rc;
}

static int note_made(void *user, const char *dir, struct ice_error *err) {
  return io_str_list_push(user, dir, err);
}

int io_fileio_create(const struct io_fileio *f, const char *location,
                     struct io_str_list *made, struct ice_output **out,
                     struct ice_error *err) {
  struct resolved r = {0};
  ICE_TRY(resolve_writable(f, location, &r, err));
  struct io_s3 *s3 = NULL;
  int rc = ICE_OK;
  if (r.storage == STORAGE_S3) {
    /* No folders on S3: nothing is added to `made`. */
    rc = s3_client(f, location, &s3, err);
    if (rc == ICE_OK) rc = io_s3_create(s3, r.bucket, r.okey, location, out, err);
  } else {
    rc = io_local_create_noting(r.key, made ? note_made : NULL, made, out, err);
  }
  resolved_reset(&r);
  return rc;
}

int io_fileio_delete(const struct io_fileio *f, const char *location,
                     struct ice_error *err) {
  struct resolved r = {0};
  ICE_TRY(resolve_writable(f, location, &r, err));
  struct io_s3 *s3 = NULL;
  int rc = ICE_OK;
  if (r.storage == STORAGE_S3) {
    rc = s3_client(f, location, &s3, err);
    if (rc == ICE_OK) rc = io_s3_delete(s3, r.bucket, r.okey, err);
  } else {
    rc = io_local_delete(r.key, err);
  }
  resolved_reset(&r);
  return rc;
}

void io_fileio_remove_made_dirs(const struct io_fileio *f, struct io_str_list *made) {
  (void)f; /* only local storage makes folders */
  for (size_t i = made->n; i > 0; i--) io_local_remove_empty_dir(made->items[i - 1]);
  io_str_list_reset(made);
}

int io_fileio_exists(const struct io_fileio *f, const char *location) {
  struct resolved r = {0};
  if (resolve(f, location, false, &r, NULL) != ICE_OK) return 0;
  struct io_s3 *s3 = NULL;
  int yes = 0;
  if (r.storage == STORAGE_S3)
    yes = s3_client(f, location, &s3, NULL) == ICE_OK && io_s3_exists(s3, r.bucket, r.okey);
  else
    yes = io_local_file_exists(r.key);
  resolved_reset(&r);
  return yes;
}

/* ---- listing ---- */

struct listing {
  const char *prefix; /* as the caller gave it */
  size_t local_len;   /* length of its local form, replaced by prefix in results */
  io_entry_fn fn;
  void *user;
  char *location; /* buffer for each result */
};

static int list_one(void *user, const char *path, int64_t size, int64_t mtime_ms,
                    struct ice_error *err) {
  struct listing *l = user;
  size_t pl = strlen(l->prefix);
  const char *rest = path + l->local_len;
  size_t n = pl + strlen(rest);
  if (n >= 2 * ICE_LIMIT_LOCATION_BYTES) return ICE_OK; /* cannot be a location */
  memcpy(l->location, l->prefix, pl);
  memcpy(l->location + pl, rest, strlen(rest) + 1);
  struct io_file_entry e = {l->location, size, mtime_ms};
  return l->fn(l->user, &e, err);
}

static int list_s3_one(void *user, const char *key, int64_t size, int64_t mtime_ms,
                       struct ice_error *err) {
  return list_one(user, key, size, mtime_ms, err);
}

int io_fileio_list(const struct io_fileio *f, const char *prefix, bool recursive,
                   io_entry_fn fn, void *user, struct ice_error *err) {
  struct resolved r = {0};
  /* Literal, like reads: every listed path starts with the local prefix. */
  ICE_TRY(resolve(f, prefix, false, &r, err));
  bool s3 = r.storage == STORAGE_S3;
  struct listing l = {prefix, s3 ? strlen(r.okey) : strlen(r.key), fn, user, NULL};
  l.location = ice_malloc(2 * ICE_LIMIT_LOCATION_BYTES);
  struct io_s3 *client = NULL;
  int rc = l.location ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK && s3) rc = s3_client(f, prefix, &client, err);
  if (rc == ICE_OK && s3)
    rc = io_s3_list(client, r.bucket, r.okey, recursive, list_s3_one, &l, err);
  else if (rc == ICE_OK)
    rc = io_local_list(r.key, recursive, list_one, &l, err);
  ice_free(l.location);
  resolved_reset(&r);
  return rc;
}
