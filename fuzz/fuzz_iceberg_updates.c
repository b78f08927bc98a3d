/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: a CommitTableRequest body (requirement and update lists) from arbitrary
 * bytes. Whatever parses must write and re-parse to the same text; its requirements are
 * checked and its updates applied to a fixed table with one snapshot (and to no table,
 * as a create). Whatever the builder accepts must serialize and parse back as valid
 * table metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "util/alloc.h"

/* clang-format off */
static const char k_base[] =
    "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\","
    "\"location\":\"file:/wh/db/t\",\"last-sequence-number\":1,"
    "\"last-updated-ms\":1700000000000,\"last-column-id\":3,\"current-schema-id\":0,"
    "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
    "{\"id\":2,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"
    "{\"id\":3,\"name\":\"s\",\"required\":false,\"type\":\"string\"}]}],"
    "\"default-spec-id\":0,\"partition-specs\":[{\"spec-id\":0,\"fields\":[]}],"
    "\"last-partition-id\":999,\"default-sort-order-id\":0,"
    "\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],\"properties\":{},"
    "\"current-snapshot-id\":5,\"refs\":{\"main\":{\"snapshot-id\":5,\"type\":\"branch\"},"
    "\"t\":{\"snapshot-id\":5,\"type\":\"tag\"}},\"snapshots\":[{\"sequence-number\":1,"
    "\"snapshot-id\":5,\"timestamp-ms\":1700000000000,\"summary\":{\"operation\":"
    "\"append\"},\"manifest-list\":\"file:/wh/db/t/metadata/snap-5.avro\","
    "\"schema-id\":0}],\"snapshot-log\":[{\"timestamp-ms\":1700000000000,"
    "\"snapshot-id\":5}],\"metadata-log\":[]}";
/* clang-format on */

/* A builder result must be metadata the parser accepts. */
static void check_built(const struct ib_table_metadata *md) {
  char *j = NULL;
  size_t n = 0;
  struct ib_table_metadata again;
  ib_table_metadata_init(&again);
  if (ib_table_metadata_to_json(md, &j, &n, NULL) != ICE_OK) abort();
  if (ib_table_metadata_parse(j, n, &again, NULL) != ICE_OK) abort();
  ice_free(j);
  ib_table_metadata_reset(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ib_requirement_list reqs, reqs2;
  struct ib_update_list ups, ups2;
  struct ib_table_metadata base, out;
  ib_requirement_list_init(&reqs);
  ib_requirement_list_init(&reqs2);
  ib_update_list_init(&ups);
  ib_update_list_init(&ups2);
  ib_table_metadata_init(&base);
  ib_table_metadata_init(&out);
  char *j1 = NULL, *j2 = NULL;
  size_t n1 = 0, n2 = 0;
  if (ib_commit_request_parse((const char *)data, size, &reqs, &ups, NULL) != ICE_OK)
    goto done;
  if (ib_commit_request_to_json(&reqs, &ups, &j1, &n1, NULL) != ICE_OK) goto done;
  if (ib_commit_request_parse(j1, n1, &reqs2, &ups2, NULL) != ICE_OK) abort();
  if (ib_commit_request_to_json(&reqs2, &ups2, &j2, &n2, NULL) != ICE_OK) abort();
  if (n1 != n2 || memcmp(j1, j2, n1) != 0) abort();
  if (ib_table_metadata_parse(k_base, sizeof(k_base) - 1, &base, NULL) != ICE_OK) abort();
  /* Either answer is fine; only crashes and leaks matter. */
  int rc = ib_requirements_check(reqs.items, reqs.n, &base, NULL);
  rc |= ib_requirements_check(reqs.items, reqs.n, NULL, NULL);
  (void)rc;
  if (ib_metadata_build(&base, "file:/wh/db/t/metadata/00001-x.metadata.json", ups.items,
                        ups.n, 1700000001000, &out, NULL) == ICE_OK)
    check_built(&out);
  ib_table_metadata_reset(&out);
  if (ib_metadata_build(NULL, NULL, ups.items, ups.n, 1700000001000, &out, NULL) ==
      ICE_OK)
    check_built(&out);
done:
  ice_free(j1);
  ice_free(j2);
  ib_requirement_list_reset(&reqs);
  ib_requirement_list_reset(&reqs2);
  ib_update_list_reset(&ups);
  ib_update_list_reset(&ups2);
  ib_table_metadata_reset(&base);
  ib_table_metadata_reset(&out);
  return 0;
}
