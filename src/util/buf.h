/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable byte buffer with a hard maximum set at init (as curl's dynbuf), so
 * growth driven by hostile input is bounded.
 */
#ifndef ICE_UTIL_BUF_H
#define ICE_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/mem_budget.h"

struct ice_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
  size_t max; /* growth beyond this fails with ICE_ELIMIT */
  struct ice_mem_budget *budget; /* NULL, or charged with cap (borrowed) */
};

void ice_buf_init(struct ice_buf *b, size_t max);
void ice_buf_reset(struct ice_buf *b); /* frees; idempotent */
/* From now on the buffer's capacity is charged to `budget` (memory already held is
 * charged at once, even past the limit: it is held). NULL stops the charging. */
void ice_buf_set_budget(struct ice_buf *b, struct ice_mem_budget *budget);
/* Ensures room for `extra` more bytes beyond len. */
int ice_buf_reserve(struct ice_buf *b, size_t extra, struct ice_error *err) ICE_NODISCARD;
int ice_buf_append(struct ice_buf *b, const void *p, size_t n, struct ice_error *err) ICE_NODISCARD;
int ice_buf_append_byte(struct ice_buf *b, uint8_t v, struct ice_error *err) ICE_NODISCARD;
/* Resizes len (growing zero-fills). */
int ice_buf_resize(struct ice_buf *b, size_t len, struct ice_error *err) ICE_NODISCARD;
static inline void ice_buf_clear(struct ice_buf *b) {
  b->len = 0;
}
/* Hands the memory to the caller (free with ice_free; no longer charged to a budget);
 * the buffer becomes empty. */
uint8_t *ice_buf_take(struct ice_buf *b);

#endif
