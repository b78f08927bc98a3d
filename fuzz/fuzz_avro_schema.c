/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the Avro schema JSON parser. An accepted schema must serialise, the
 * result must parse again, and serialising that must give the same text (fixpoint).
 * The input bytes are then decoded and skipped as a datum of the schema; skip must
 * agree with decode.
 */
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "fuzz.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct avro_schema *s = NULL, *again = NULL;
  char *a = NULL, *b = NULL;
  size_t alen = 0;
  if (avro_schema_parse((const char *)data, size, &s, NULL) != ICE_OK) return 0;
  int rc = avro_schema_to_json(s, &a, &alen, NULL);
  if (rc == ICE_OK) {
    if (avro_schema_parse(a, alen, &again, NULL) != ICE_OK) abort();
    if (avro_schema_to_json(again, &b, NULL, NULL) != ICE_OK) abort();
    if (strcmp(a, b) != 0) abort();
  } else if (rc != ICE_ELIMIT && rc != ICE_ENOMEM) {
    abort();
  }
  /* decode the input bytes themselves as a datum of the schema */
  struct ice_arena arena;
  ice_arena_init(&arena, 4u << 20);
  struct avro_cursor c;
  avro_cursor_init(&c, data, size);
  struct avro_value v;
  int drc = avro_value_decode(s, &c, &arena, &v, NULL);
  const uint8_t *decoded_to = c.p;
  avro_cursor_init(&c, data, size);
  int src = avro_value_skip(s, &c, NULL);
  /* skip must accept what decode accepted, and stop at the same byte */
  if (drc == ICE_OK && (src != ICE_OK || c.p != decoded_to)) abort();
  ice_arena_reset(&arena);
  ice_free(a);
  ice_free(b);
  avro_schema_free(again);
  avro_schema_free(s);
  return 0;
}
