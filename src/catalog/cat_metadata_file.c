/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a table's current metadata file and writing the next one, through the
 * catalog's FileIO (cat_metadata_file.h). A metadata file is written in full before any
 * catalog row can point at it.
 */
#include "catalog/cat_metadata_file.h"

#include <stdio.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_write_paths.h"
#include "io/io.h"
#include "util/alloc.h"

int cat_metadata_read(const struct io_fileio *io, const char *location,
                      struct ib_table_metadata *md, struct ice_error *err) {
  struct ice_input *in = NULL;
  int rc = io_fileio_open_input(io, location, &in, err);
  if (rc == ICE_OK) {
    struct ib_table_metadata fresh;
    ib_table_metadata_init(&fresh);
    rc = ib_table_metadata_read(in, &fresh, err);
    if (rc == ICE_OK) {
      ib_table_metadata_reset(md);
      *md = fresh;
    } else {
      ib_table_metadata_reset(&fresh);
    }
  }
  ice_input_close(in); /* every error above already names the file */
  return rc;
}

int cat_creation_marker_of(const char *dir, const char *name, char **out,
                           struct ice_error *err) {
  size_t n = strlen(dir) + strlen(name) + sizeof "/..creating";
  char *s = ice_malloc(n);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(s, n, "%s/.%s.creating", dir, name);
  *out = s;
  return ICE_OK;
}

static int marker_path(const char *metadata_file, char **out, struct ice_error *err) {
  const char *slash = strrchr(metadata_file, '/');
  if (slash == NULL || slash[1] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "metadata location %s has no file name", metadata_file);
  char *dir = ice_strndup(metadata_file, (size_t)(slash - metadata_file));
  if (dir == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = cat_creation_marker_of(dir, slash + 1, out, err);
  ice_free(dir);
  return rc;
}

/* The (empty, durable) marker; parent folders are made. */
static int marker_write(const struct io_fileio *io, const char *marker,
                        struct ice_error *err) {
  struct ice_output *out = NULL;
  ICE_TRY(io_fileio_create(io, marker, NULL, NULL, &out, err));
  int rc = ice_output_finish(out, err);
  ice_output_close(out); /* an unfinished output removes itself */
  return rc;
}

static int next_version(const char *base_location, int *version, struct ice_error *err) {
  if (base_location == NULL) {
    *version = 0;
    return ICE_OK;
  }
  int v = ib_location_metadata_version(base_location);
  if (v == INT32_MAX)
    ICE_FAIL(err, ICE_ECORRUPT, "metadata file %s: version cannot be advanced",
             base_location);
  /* A name that follows neither convention restarts at 0, as pyiceberg does. */
  *version = v < 0 ? 0 : v + 1;
  return ICE_OK;
}

int cat_metadata_write_next(const struct io_fileio *io,
                            const struct ib_table_metadata *md, const char *base_location,
                            char **uri, char **marker, struct ice_error *err) {
  int version = 0;
  ICE_TRY(next_version(base_location, &version, err));
  char uuid[IB_UUID_STR_LEN];
  ICE_TRY(ib_uuid4(uuid, err));
  char *u = NULL, *m = NULL;
  struct ice_output *out = NULL;
  int rc = ib_write_paths_metadata_file(md, version, uuid, &u, err);
  if (rc == ICE_OK && base_location == NULL) rc = marker_path(u, &m, err);
  if (rc == ICE_OK && m != NULL) rc = marker_write(io, m, err);
  if (rc == ICE_OK) rc = io_fileio_create(io, u, NULL, NULL, &out, err);
  if (rc == ICE_OK) {
    rc = ib_table_metadata_write(md, out, err);
    if (rc != ICE_OK) ice_output_abort(out);
    ice_output_close(out);
  }
  if (rc != ICE_OK) {
    /* The metadata file is gone (never made, or aborted); its marker goes too. */
    if (m != NULL) (void)io_fileio_delete(io, m, NULL);
    ice_free(u);
    ice_free(m);
    return ice_error_prefix(err, "writing table metadata");
  }
  *uri = u;
  *marker = m;
  return ICE_OK;
}
