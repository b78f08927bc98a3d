/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the manifest and manifest-list readers (through the Avro OCF reader and
 * io_memory) over arbitrary bytes. Every input is tried as a manifest list and as a
 * manifest; entries read are copied (exercising the DataFile deep copy) and dropped.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "fuzz.h"
#include "iceberg/ib_manifest.h"
#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ice_input *in = NULL;
  if (io_memory_open_read(data, size, "fuzz.avro", &in, NULL) != ICE_OK) return 0;
  struct ib_manifest_list list;
  if (ib_manifest_list_read(in, &list, NULL) == ICE_OK) {
    for (size_t i = 0; i < list.n; i++) {
      struct ib_manifest_file copy;
      if (ib_manifest_file_copy(&copy, &list.items[i], NULL) == ICE_OK)
        ib_manifest_file_reset(&copy);
    }
    ib_manifest_list_reset(&list);
  }
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  mf.sequence_number = 7;
  mf.added_snapshot_id = 42;
  struct ib_manifest_reader *r = NULL;
  if (ib_manifest_reader_open(in, &mf, &r, NULL) == ICE_OK) {
    (void)ib_manifest_reader_meta(r, "schema");
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    for (int n = 0; n < 100000; n++) {
      bool eof = false;
      if (ib_manifest_reader_next(r, &e, &eof, NULL) != ICE_OK || eof) break;
      /* inheritance must have filled these for ADDED entries */
      if (e.status == IB_STATUS_ADDED && (!e.has_snapshot_id || !e.has_sequence_number))
        abort();
      struct ib_data_file copy;
      if (ib_data_file_copy(&copy, &e.file, NULL) == ICE_OK) ib_data_file_reset(&copy);
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
  }
  ice_input_close(in);
  return 0;
}
