/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the one metadata builder (ib_metadata_builder.c) and the operations share
 * (reference/iceberg.md §1.3): the next sequence number, a fresh snapshot id, and the
 * metadata-log entry of the superseded file with its previous-versions-max trim.
 */
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"
#include "util/limits.h"

int64_t ib_table_metadata_next_sequence_number(const struct ib_table_metadata *md) {
  return md->last_sequence_number + 1;
}

int ib_table_metadata_new_snapshot_id(const struct ib_table_metadata *md, int64_t *out,
                                      struct ice_error *err) {
  for (int attempt = 0; attempt < 16; attempt++) {
    uint8_t b[16];
    ICE_TRY(ib_uuid4_bytes(b, err));
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | b[i];
      lo = (lo << 8) | b[8 + i];
    }
    /* Java: (most ^ least) & Long.MAX_VALUE; 0 is not a usable id. */
    int64_t id = (int64_t)((hi ^ lo) & (uint64_t)INT64_MAX);
    if (id != 0 && ib_table_metadata_snapshot_by_id(md, id) == NULL) {
      *out = id;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINTERNAL, "could not draw an unused snapshot id");
}

static int64_t previous_versions_max(const struct ib_table_metadata *md) {
  const char *v = ib_str_map_get(&md->properties, "write.metadata.previous-versions-max");
  int64_t n = 100;
  if (v != NULL) {
    char *end = NULL;
    long long x = strtoll(v, &end, 10);
    if (end != v && *end == '\0') n = x;
  }
  return n < 1 ? 1 : n;
}

int ib_table_metadata_push_previous(struct ib_table_metadata *md,
                                    const char *previous_metadata_file,
                                    struct ice_error *err) {
  if (previous_metadata_file == NULL) return ICE_OK;
  if (md->n_metadata_log >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "metadata-log too long");
  char *f = ice_strdup(previous_metadata_file);
  if (f == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ib_metadata_log_entry *p =
      ice_realloc(md->metadata_log, (md->n_metadata_log + 1) * sizeof(*p));
  if (p == NULL) {
    ice_free(f);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  md->metadata_log = p;
  p[md->n_metadata_log].timestamp_ms = md->last_updated_ms;
  p[md->n_metadata_log].metadata_file = f;
  md->n_metadata_log++;
  size_t keep = (size_t)previous_versions_max(md);
  if (md->n_metadata_log > keep) {
    size_t drop = md->n_metadata_log - keep;
    for (size_t i = 0; i < drop; i++) ice_free(p[i].metadata_file);
    memmove(p, p + drop, keep * sizeof(*p));
    md->n_metadata_log = keep;
  }
  return ICE_OK;
}
