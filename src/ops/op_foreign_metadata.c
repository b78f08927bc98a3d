/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Before a table is created: is its metadata folder already someone else's table
 * (op_foreign_metadata.h)? Every *.metadata.json listed there without a creation marker
 * is another table's history, unless the catalog row appeared meanwhile.
 */
#include "ops/op_foreign_metadata.h"

#include <stdio.h>
#include <string.h>

#include "catalog/cat_metadata_file.h"
#include "iceberg/ib_location.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "util/alloc.h"

struct scan {
  const struct io_fileio *io;
  const char *dir;
  size_t prefix_len; /* of "<dir>/": what listed locations start with */
  int64_t unmarked;
  char newest[256]; /* newest unmarked name: what a reader would take as current */
};

static int is_metadata_json(const char *name) {
  static const char suffix[] = ".metadata.json";
  size_t n = strlen(name), s = sizeof suffix - 1;
  return n > s && strcmp(name + n - s, suffix) == 0;
}

static int note_file(void *user, const struct io_file_entry *e, struct ice_error *err) {
  struct scan *s = user;
  const char *name = e->location + s->prefix_len;
  if (!is_metadata_json(name)) return ICE_OK;
  char *marker = NULL;
  ICE_TRY(cat_creation_marker_of(s->dir, name, &marker, err));
  int marked = io_fileio_exists(s->io, marker);
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
  char *prefix = NULL;
  ICE_TRY(ib_location_join(metadata_dir, "", &prefix, err)); /* "<dir>/" */
  struct scan s = {cat->io, metadata_dir, strlen(prefix), 0, ""};
  int lrc = io_fileio_list(cat->io, prefix, false, note_file, &s, err);
  ice_free(prefix);
  ICE_TRY(lrc);
  if (s.unmarked == 0) return ICE_OK;
  /* A marker goes only after the insert: an unmarked file listed above whose creator
   * was us is in the catalog by now. */
  char *loc = NULL;
  int rc = cat->vt->load(cat, id, &loc, NULL, err);
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
