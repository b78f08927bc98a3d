/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From a catalog URI to the SQLite file it names. A catalog must outlive the process
 * that writes it: an in-memory or temporary database would "commit" into something that
 * vanishes and leave the load's files as orphans, so every URI that does not name a
 * file is refused here, for the API and the CLI alike.
 */
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"
#include "util/limits.h"

/* SQLite's own spellings of a database that is not a file on disk. */
static int names_memory(const char *path) {
  return strstr(path, ":memory:") != NULL || strstr(path, "mode=memory") != NULL;
}

static int check_file_path(const char *uri, const char *path, struct ice_error *err) {
  if (path[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL,
             "catalog URI '%s' names no file (an in-memory or temporary SQLite database "
             "would lose every commit); give sqlite:PATH",
             uri);
  if (names_memory(path))
    ICE_FAIL(err, ICE_EINVAL,
             "catalog URI '%s' is an in-memory SQLite database, which would lose every "
             "commit; give sqlite:PATH of a file",
             uri);
  if (strncmp(path, "file:", 5) == 0)
    ICE_FAIL(err, ICE_EINVAL,
             "catalog URI '%s': SQLite URI filenames (file:...) are not supported; give "
             "sqlite:PATH of a file",
             uri);
  if (strchr(path, '?') != NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "catalog URI '%s': query parameters are not supported; give sqlite:PATH of a "
             "file",
             uri);
  if (strlen(path) >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "catalog URI '%s' is too long", uri);
  return ICE_OK;
}

int cat_sqlite_uri_path(const char *uri, char **path, struct ice_error *err) {
  if (strncmp(uri, "sqlite:", 7) != 0)
    ICE_FAIL(err, ICE_EINVAL, "catalog URI '%s' is not an sqlite: URI", uri);
  const char *p = uri + 7;
  /* Accept sqlite:///abs/path as SQLAlchemy spells it. */
  if (strncmp(p, "///", 3) == 0) p += 2;
  else if (strcmp(p, "//") == 0) p += 2; /* SQLAlchemy's in-memory database */
  ICE_TRY(check_file_path(uri, p, err));
  char *s = ice_strdup(p);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *path = s;
  return ICE_OK;
}
