/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Before a table is created: is its metadata folder already someone else's table
 * (op_foreign_metadata.h)? Every *.metadata.json there without a creation marker is
 * another table's history, unless the catalog row appeared meanwhile.
 */
#include "ops/op_foreign_metadata.h"

#include <stdio.h>
#include <string.h>

#include "io/io.h"
#include "util/alloc.h"

#define MARKER_SUFFIX ".creating"

struct scan {
  const char *dir;
  int64_t unmarked;
  char newest[256]; /* newest unmarked name: what a reader would take as current */
  struct ice_error *err;
};

static int is_metadata_json(const char *name) {
  static const char suffix[] = ".metadata.json";
  size_t n = strlen(name), s = sizeof suffix - 1;
  return n > s && strcmp(name + n - s, suffix) == 0;
}

static int marker_of(const char *dir, const char *name, char **out,
                     struct ice_error *err) {
  size_t n = strlen(dir) + strlen(name) + sizeof "/." MARKER_SUFFIX;
  char *s = ice_malloc(n);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(s, n, "%s/.%s" MARKER_SUFFIX, dir, name);
  *out = s;
  return ICE_OK;
}

static int note_file(void *user, const char *name, int64_t mtime_ms,
                     struct ice_error *err) {
  (void)mtime_ms;
  struct scan *s = user;
  if (!is_metadata_json(name)) return ICE_OK;
  char *marker = NULL;
  ICE_TRY(marker_of(s->dir, name, &marker, err));
  int marked = io_local_file_exists(marker);
  ice_free(marker);
  if (marked) return ICE_OK;
  /* Versions are zero-padded, so the greatest name is the newest. */
  if (s->unmarked == 0 || strcmp(name, s->newest) > 0)
    snprintf(s->newest, sizeof s->newest, "%s", name);
  s->unmarked++;
  return ICE_OK;
}

int op_check_no_foreign_metadata(struct cat_catalog *cat, const struct cat_ident *id,
                                 const char *metadata_dir, struct ice_error *err) {
  struct scan s = {metadata_dir, 0, "", err};
  ICE_TRY(io_local_each_file(metadata_dir, note_file, &s, err));
  if (s.unmarked == 0) return ICE_OK;
  /* A marker goes only after the insert: an unmarked file listed above whose creator
   * was us is in the catalog by now. */
  char *loc = NULL;
  int rc = cat->vt->load_table(cat, id, &loc, err);
  ice_free(loc);
  if (rc == ICE_OK) return ICE_OK;
  if (rc != ICE_ENOTFOUND) return rc;
  ICE_FAIL(
      err, ICE_EEXISTS,
      "%s already holds %lld *.metadata.json file(s) of a table the catalog does not "
      "know (newest %s); to adopt that table run: icestream register %s.%s "
      "METADATA_LOCATION",
      metadata_dir, (long long)s.unmarked, s.newest, id->ns, id->name);
}

int op_creation_marker_path(const char *metadata_local, char **out,
                            struct ice_error *err) {
  const char *slash = strrchr(metadata_local, '/');
  if (slash == NULL || slash[1] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "metadata path %s has no file name", metadata_local);
  char *dir = ice_strndup(metadata_local, (size_t)(slash - metadata_local));
  if (dir == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = marker_of(dir, slash + 1, out, err);
  ice_free(dir);
  return rc;
}

int op_creation_marker_write(const char *marker_local, struct ice_error *err) {
  struct ice_output *out = NULL;
  ICE_TRY(io_local_create(marker_local, &out, err));
  int rc = ice_output_finish(out, err);
  ice_output_close(out); /* an unfinished output removes itself */
  return rc;
}
