/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the FileIO's resolution of a location (io_fileio.h): the input is a location
 * map in ICESTREAM_LOCATION_MAP form, a newline, and a location (locations come from
 * metadata files, manifests and catalog rows; the map from the command line). The
 * FileIO has the single write root /wh. No file is touched. Checked: no crash; a
 * resolved path is absolute and normalised (idempotent); "may write" holds exactly
 * when that path lies under /wh, component by component; an s3:// location resolves to
 * "s3://bucket/key", never writable here; a location that is neither mapped nor local
 * is refused (ICE_EUNSUPPORTED, or ICE_EINVAL without a scheme).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "io/io_fileio.h"
#include "io/io_path.h"
#include "util/alloc.h"

#define ROOT "/wh"

static void check(struct io_fileio *f, const char *location, bool mapped_possible) {
  struct ice_error err;
  char *path = NULL;
  int rc = io_fileio_local_path(f, location, &path, &err);
  if (rc == ICE_OK && strncmp(path, "s3://", 5) == 0) {
    /* An object: judged on "s3://bucket/key", never under the local root. */
    bool yes = true;
    char *where = NULL;
    if (io_fileio_may_write(f, location, &yes, &where, &err) != ICE_OK) abort();
    if (yes || strcmp(where, path) != 0) abort();
    ice_free(where);
  } else if (rc == ICE_OK) {
    char *again = NULL;
    if (path[0] != '/') abort();
    if (io_path_normalize(path, &again, &err) != ICE_OK || strcmp(again, path) != 0)
      abort();
    ice_free(again);
    bool yes = false;
    char *where = NULL;
    if (io_fileio_may_write(f, location, &yes, &where, &err) != ICE_OK) abort();
    if (strcmp(where, path) != 0) abort();
    size_t rl = strlen(ROOT);
    bool under = strncmp(path, ROOT, rl) == 0 && (path[rl] == '\0' || path[rl] == '/');
    if (yes != under) abort();
    ice_free(where);
  } else if (!mapped_possible && location[0] != '/' &&
             strncmp(location, "file:", 5) != 0) {
    if (rc != ICE_EUNSUPPORTED && rc != ICE_EINVAL && rc != ICE_ELIMIT) abort();
  }
  ice_free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 8192) return 0;
  char *in = ice_strndup((const char *)data, size);
  if (in == NULL) return 0;
  if (strlen(in) != size) { /* embedded NUL: not C strings */
    ice_free(in);
    return 0;
  }
  char *nl = strchr(in, '\n');
  const char *location = in;
  const char *map = "";
  if (nl != NULL) {
    *nl = '\0';
    map = in;
    location = nl + 1;
  }
  struct io_fileio *f = NULL;
  struct ice_error err;
  if (io_fileio_new(&f, &err) == ICE_OK && io_fileio_allow(f, ROOT, &err) == ICE_OK) {
    int mrc = io_fileio_add_map_list(f, map, "map", &err);
    if (mrc == ICE_OK || io_fileio_map_size(f) > 0)
      check(f, location, io_fileio_map_size(f) > 0);
  }
  io_fileio_free(f);
  ice_free(in);
  return 0;
}
