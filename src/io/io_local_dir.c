/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Listing a local directory: each regular file's name and modification time, handed to
 * a callback so a folder of thousands of manifests costs no memory; and whether a file
 * exists. Used to find table metadata another writer left in a location before a table
 * is created there.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io.h"
#include "util/alloc.h"
#include "util/limits.h"

int io_local_each_file(const char *dir, io_file_fn fn, void *user,
                       struct ice_error *err) {
  size_t dlen = strlen(dir);
  if (dlen == 0 || dlen >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "directory path of %zu bytes is not usable", dlen);
  DIR *d = opendir(dir);
  if (d == NULL) {
    int e = errno;
    if (e == ENOENT) return ICE_OK; /* nothing there yet */
    int rc = ice_error_set(err, ICE_EIO, "%s: cannot list: %s", dir, strerror(e));
    if (err != NULL) err->detail = e;
    return rc;
  }
  char *path = ice_malloc(dlen + 2 + 256);
  int rc = path ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (struct dirent *ent; rc == ICE_OK && (ent = readdir(d)) != NULL;) {
    size_t n = strlen(ent->d_name);
    if (n > 255) continue; /* longer than NAME_MAX: cannot be a file we named */
    memcpy(path, dir, dlen);
    path[dlen] = '/';
    memcpy(path + dlen + 1, ent->d_name, n + 1);
    struct stat sb;
    /* A file removed between readdir and stat is simply not there any more. */
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
    int64_t mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    rc = fn(user, ent->d_name, mtime_ms, err);
  }
  ice_free(path);
  closedir(d);
  return rc;
}

int io_local_file_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}
