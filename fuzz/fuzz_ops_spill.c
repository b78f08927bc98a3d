/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the spill record parser (spill files live on a local disk for the length of
 * a merge; a damaged one must be an error, never a crash). The first byte picks the
 * payload size; the rest is parsed whole and then in two chunks split at the second
 * byte, as op_spill_read feeds it. Checked: records stay inside the input, both ways
 * see the same records, and `used` never passes the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ops/op_spill.h"

struct tally {
  const uint8_t *lo, *hi;
  size_t payload;
  uint64_t sum, count;
};

static int visit(void *ctx, const uint8_t *key, size_t len, const uint8_t *payload,
                 struct ice_error *err) {
  (void)err;
  struct tally *t = ctx;
  if (key < t->lo || len > (size_t)(t->hi - key) ||
      t->payload > (size_t)(t->hi - key) - len)
    abort(); /* a record outside the input */
  t->count++;
  for (size_t i = 0; i < len; i++) t->sum += key[i];
  for (size_t i = 0; i < t->payload; i++) t->sum += payload[i] * 3u;
  return ICE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  size_t payload = data[0] % 48;
  size_t split = data[1];
  const uint8_t *p = data + 2;
  size_t n = size - 2;
  struct ice_error err;
  struct tally whole = {p, p + n, payload, 0, 0};
  size_t used = 0;
  if (op_spill_parse(payload, p, n, &used, visit, &whole, &err) != ICE_OK) abort();
  if (used > n) abort();
  /* In two chunks: the tail of the first carried over to the second, as the reader does.
   */
  if (split > n) split = n;
  struct tally parts = {p, p + n, payload, 0, 0};
  size_t u1 = 0, u2 = 0;
  if (op_spill_parse(payload, p, split, &u1, visit, &parts, &err) != ICE_OK) abort();
  if (u1 > split) abort();
  if (op_spill_parse(payload, p + u1, n - u1, &u2, visit, &parts, &err) != ICE_OK)
    abort();
  if (u1 + u2 != used || parts.count != whole.count || parts.sum != whole.sum) abort();
  return 0;
}
