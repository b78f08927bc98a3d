/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Listing local files by path prefix, the way an object store lists keys, so the
 * FileIO offers one listing for every storage: each matching regular file's path, size
 * and modification time goes to a callback, so a folder of thousands of manifests
 * costs no memory. Also whether a file exists.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Deep enough for any table layout (partition folders, object-storage hash folders);
 * a deeper tree is a loop or not a table's. */
#define MAX_DEPTH 64

static int list_dir(const char *dir, const char *name_prefix, bool recursive, int depth,
                    io_path_fn fn, void *user, struct ice_error *err) {
  size_t dlen = strlen(dir);
  if (dlen == 0 || dlen >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "directory path of %zu bytes is not usable", dlen);
  if (depth > MAX_DEPTH)
    ICE_FAIL(err, ICE_ELIMIT, "%s: more than %d folder levels to list", dir, MAX_DEPTH);
  DIR *d = opendir(dir);
  if (d == NULL) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return ICE_OK; /* nothing there yet */
    int rc = ice_error_set(err, ICE_EIO, "%s: cannot list: %s", dir, strerror(e));
    if (err != NULL) err->detail = e;
    return rc;
  }
  size_t plen = strlen(name_prefix);
  int root = dlen == 1; /* "/" */
  char *path = ice_malloc(dlen + 2 + 256);
  int rc = path ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (struct dirent *ent; rc == ICE_OK && (ent = readdir(d)) != NULL;) {
    const char *name = ent->d_name;
    size_t n = strlen(name);
    if (n > 255) continue; /* longer than NAME_MAX: cannot be a file we named */
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (strncmp(name, name_prefix, plen) != 0) continue;
    memcpy(path, dir, dlen);
    size_t o = dlen;
    if (!root) path[o++] = '/';
    memcpy(path + o, name, n + 1);
    struct stat sb;
    /* A file removed between readdir and stat is simply not there any more. */
    if (lstat(path, &sb) != 0) continue;
    if (S_ISDIR(sb.st_mode)) {
      if (recursive) rc = list_dir(path, "", true, depth + 1, fn, user, err);
      continue;
    }
    if (S_ISLNK(sb.st_mode) && (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))) continue;
    if (!S_ISREG(sb.st_mode)) continue;
    int64_t mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    rc = fn(user, path, (int64_t)sb.st_size, mtime_ms, err);
  }
  ice_free(path);
  closedir(d);
  return rc;
}

int io_local_list(const char *prefix, bool recursive, io_path_fn fn, void *user,
                  struct ice_error *err) {
  const char *slash = strrchr(prefix, '/');
  if (slash == NULL)
    ICE_FAIL(err, ICE_EINVAL, "listing prefix '%.200s' is not absolute", prefix);
  size_t dlen = slash == prefix ? 1 : (size_t)(slash - prefix);
  char *dir = ice_strndup(prefix, dlen);
  if (dir == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = list_dir(dir, slash + 1, recursive, 0, fn, user, err);
  ice_free(dir);
  return rc;
}

int io_local_file_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}
