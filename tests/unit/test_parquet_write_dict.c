/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writer dictionary builder on short byte strings (the lengths its inline equality
 * handles with overlapping word loads): strings that differ in one byte at the start,
 * middle or end must get distinct entries, repeats the same index, and every index
 * must map back to its bytes.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "parquet/pq_dict_builder.h"

#define N_DISTINCT 6000
#define MAX_LEN 20

static void test_short_strings_one_byte_apart(void) {
  static uint8_t data[N_DISTINCT][MAX_LEN];
  static struct pq_enc_bytes v[2 * N_DISTINCT];
  static uint32_t ix[2 * N_DISTINCT];
  struct ice_error err = {0};
  struct pq_dict_builder *b = NULL;
  CHECK_OK(pq_dict_builder_new(0, &b, &err), &err);
  if (b == NULL) return;
  /* Value k: length 1 + k % MAX_LEN, all 'a' except one byte (position by k) set to
   * a byte derived from k / MAX_LEN, so same-length values differ in exactly one or two
   * places, often inside the overlap of the two word loads. */
  size_t n = 0;
  for (size_t k = 0; k < N_DISTINCT; k++) {
    size_t len = 1 + k % MAX_LEN;
    size_t group = k / MAX_LEN; /* 300 groups per length */
    memset(data[k], 'a', len);
    size_t pos = group % 3 == 0 ? 0 : group % 3 == 1 ? len / 2 : len - 1;
    data[k][pos] = (uint8_t)('b' + group % 200);
    if (group >= 200) data[k][len - 1 - pos % len] ^= 0x40;
    v[n].ptr = data[k];
    v[n].len = (uint32_t)len;
    n++;
  }
  /* Count distinct values the slow way (some constructions coincide). */
  size_t distinct = 0;
  for (size_t k = 0; k < N_DISTINCT; k++) {
    bool seen = false;
    for (size_t j = 0; j < k && !seen; j++) {
      seen = v[j].len == v[k].len && memcmp(v[j].ptr, v[k].ptr, v[k].len) == 0;
    }
    distinct += !seen;
  }
  for (size_t k = 0; k < N_DISTINCT; k++) v[n++] = v[N_DISTINCT - 1 - k]; /* repeats */
  CHECK_OK(pq_dict_builder_put_bytes(b, v, n, ix, &err), &err);
  CHECK_EQ_INT(pq_dict_builder_count(b), distinct);
  for (size_t k = 0; k < n; k++) {
    struct pq_enc_bytes e = pq_dict_builder_entry(b, ix[k]);
    CHECK(e.len == v[k].len && memcmp(e.ptr, v[k].ptr, e.len) == 0);
  }
  for (size_t k = 0; k < N_DISTINCT; k++) CHECK(ix[k] == ix[n - 1 - k]);
  pq_dict_builder_free(b);
}

int main(void) {
  ICE_RUN(test_short_strings_one_byte_apart);
  ICE_TEST_EXIT();
}
