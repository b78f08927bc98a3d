/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the Avro object container file reader over arbitrary bytes (through
 * io_memory): header, schema, codecs, blocks and generic datum decoding. Every
 * record is re-encoded with the file's schema, which must succeed for anything the
 * decoder accepted. Small arena and the library's caps keep each input cheap.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "avro/avro.h"
#include "fuzz.h"
#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ice_input *in = NULL;
  struct avro_ocf_reader *r = NULL;
  struct ice_arena arena;
  struct ice_buf re;
  ice_arena_init(&arena, 16u << 20);
  ice_buf_init(&re, 16u << 20);
  if (io_memory_open_read(data, size, "fuzz.avro", &in, NULL) != ICE_OK) goto done;
  if (avro_ocf_reader_open(in, &r, NULL) != ICE_OK) goto done;
  (void)avro_ocf_reader_meta(r, "avro.schema", NULL);
  for (size_t i = 0; i < avro_ocf_reader_meta_count(r); i++) {
    const char *k, *v;
    size_t n;
    avro_ocf_reader_meta_at(r, i, &k, &v, &n);
  }
  for (int records = 0; records < 100000; records++) {
    struct avro_value v;
    bool eof = false;
    if (avro_ocf_reader_next(r, &arena, &v, &eof, NULL) != ICE_OK || eof) break;
    ice_buf_clear(&re);
    int rc = avro_value_encode(avro_ocf_reader_schema(r), &v, &re, NULL);
    /* a decoded value always re-encodes (only the size cap may stop it) */
    if (rc != ICE_OK && rc != ICE_ELIMIT) abort();
    ice_arena_reset(&arena);
  }
done:
  ice_buf_reset(&re);
  ice_arena_reset(&arena);
  avro_ocf_reader_free(r);
  ice_input_close(in);
  return 0;
}
