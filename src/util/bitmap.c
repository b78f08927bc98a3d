/* SPDX-License-Identifier: Apache-2.0 */
#include "util/bitmap.h"

void ice_bitmap_init(struct ice_bitmap *b, struct ice_mem_budget *budget) {
  ice_buf_init(&b->bits, (size_t)INT64_MAX);
  ice_buf_set_budget(&b->bits, budget);
  b->n_set = 0;
}

void ice_bitmap_reset(struct ice_bitmap *b) {
  ice_buf_reset(&b->bits);
  b->n_set = 0;
}

int ice_bitmap_set(struct ice_bitmap *b, int64_t i, struct ice_error *err) {
  if (i < 0) ICE_FAIL(err, ICE_EINVAL, "negative bit index %lld", (long long)i);
  size_t byte = (size_t)(i >> 3);
  if (byte >= b->bits.len) {
    /* Doubling keeps a growing set amortized O(1) per bit. */
    size_t want = b->bits.len * 2 > byte + 1 ? b->bits.len * 2 : byte + 1;
    ICE_TRY(ice_buf_resize(&b->bits, want, err));
  }
  uint8_t mask = (uint8_t)(1u << (i & 7));
  if ((b->bits.data[byte] & mask) == 0) {
    b->bits.data[byte] |= mask;
    b->n_set++;
  }
  return ICE_OK;
}

void ice_bitmap_clear(struct ice_bitmap *b, int64_t i) {
  if (i < 0 || (size_t)(i >> 3) >= b->bits.len) return;
  uint8_t mask = (uint8_t)(1u << (i & 7));
  if (b->bits.data[i >> 3] & mask) {
    b->bits.data[i >> 3] &= (uint8_t)~mask;
    b->n_set--;
  }
}

bool ice_bitmap_get(const struct ice_bitmap *b, int64_t i) {
  if (i < 0 || (size_t)(i >> 3) >= b->bits.len) return false;
  return (b->bits.data[i >> 3] >> (i & 7)) & 1u;
}
