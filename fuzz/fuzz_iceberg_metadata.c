/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the table-metadata JSON parser and validator over arbitrary bytes.
 * Whatever parses must serialize as v2, re-parse, and serialize to the same text (the
 * writer and parser agree, and rewriting is idempotent). Also records a previous
 * metadata file to exercise the metadata-log trimming, and maps the current schema to
 * Arrow and back (fresh ids), which must reproduce the same number of fields.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ib_table_metadata md, again;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&again);
  char *j1 = NULL, *j2 = NULL;
  size_t n1 = 0, n2 = 0;
  if (ib_table_metadata_parse((const char *)data, size, &md, NULL) != ICE_OK) goto done;
  (void)ib_table_metadata_current_schema(&md);
  (void)ib_table_metadata_current_snapshot(&md);
  const struct ib_schema *cur = ib_table_metadata_current_schema(&md);
  struct ArrowSchema arrow;
  if (cur != NULL && ib_schema_to_arrow(cur, &arrow, NULL) == ICE_OK) {
    struct ib_schema back;
    struct ib_arrow_import_options v3 = {3};
    if (ib_schema_from_arrow(&arrow, &v3, &back, NULL) == ICE_OK) {
      if (back.root.n_fields != cur->root.n_fields) abort();
      ib_schema_reset(&back);
    }
    arrow.release(&arrow);
  }
  if (ib_table_metadata_push_previous(&md, "file:/fuzz/metadata/00000-x.metadata.json",
                                      NULL) != ICE_OK)
    goto done;
  if (ib_table_metadata_to_json(&md, &j1, &n1, NULL) != ICE_OK) goto done;
  if (ib_table_metadata_parse(j1, n1, &again, NULL) != ICE_OK) abort();
  if (ib_table_metadata_to_json(&again, &j2, &n2, NULL) != ICE_OK) abort();
  if (n1 != n2 || memcmp(j1, j2, n1) != 0) abort();
done:
  ice_free(j1);
  ice_free(j2);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&again);
  return 0;
}
