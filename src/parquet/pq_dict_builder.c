/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writer-side dictionary (see pq_dict_builder.h). Open addressing with linear
 * probing over a power-of-two slot array that stores entry numbers; each entry
 * keeps its 32-bit hash so probes compare hashes before bytes and growth never
 * rehashes values. Load factor stays <= 1/2. The hash is a multiply/rotate mix of
 * 8-byte words with a final avalanche, specialised for 4- and 8-byte values.
 */
#include "parquet/pq_dict_builder.h"

#include <stdbool.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

struct pq_dict_entry {
  uint64_t off;  /* into values */
  uint32_t len;
  uint32_t hash;
};

struct pq_dict_builder {
  size_t width;                 /* 0 = byte arrays */
  uint32_t count;
  uint32_t *slots;              /* entry number + 1; 0 = empty */
  size_t nslots;                /* power of two */
  struct pq_dict_entry *entries;
  size_t entries_cap;
  struct ice_buf values;        /* entry bytes back to back */
  uint64_t encoded_size;
  struct ice_mem_budget *budget; /* slots and entries charged here; NULL = none */
};

static int64_t table_bytes(const struct pq_dict_builder *b) {
  return (int64_t)(b->nslots * sizeof *b->slots + b->entries_cap * sizeof *b->entries);
}

#define PQ_MIX_A 0x9E3779B97F4A7C15ull
#define PQ_MIX_B 0xD6E8FEB86659FD93ull

static inline uint64_t rotl64(uint64_t x, unsigned r) {
  return (x << r) | (x >> (64 - r));
}

static inline uint32_t finish_hash(uint64_t h) {
  h ^= h >> 29;
  h *= PQ_MIX_B;
  h ^= h >> 32;
  return (uint32_t)h;
}

static inline uint32_t hash_u64(uint64_t v) {
  return finish_hash((v ^ 0x5bd1e995u) * PQ_MIX_A);
}

/* Whole 8-byte words, then the tail as one overlapping load (or two 4-byte loads,
 * or three bytes for 1..3); the length is mixed in first so overlaps of different
 * lengths still hash apart. */
static uint32_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = PQ_MIX_A ^ ((uint64_t)n * PQ_MIX_B);
  uint64_t w;
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      memcpy(&w, p + i, 8);
      h = rotl64(h ^ (w * PQ_MIX_B), 27) * PQ_MIX_A;
    }
    if (i == n) return finish_hash(h);
    memcpy(&w, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + n - 4, 4);
    w = (uint64_t)hi << 32 | lo;
  } else if (n > 0) {
    w = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 | (uint64_t)p[n - 1] << 16;
  } else {
    w = 0;
  }
  h = rotl64(h ^ (w * PQ_MIX_B), 31) * PQ_MIX_A;
  return finish_hash(h);
}

static inline uint32_t hash_fixed(const uint8_t *p, size_t width) {
  if (width == 4) {
    uint32_t v;
    memcpy(&v, p, 4);
    return hash_u64(v);
  }
  if (width == 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    return hash_u64(v);
  }
  return hash_bytes(p, width);
}

int pq_dict_builder_new(size_t value_width, struct pq_dict_builder **out,
                        struct ice_error *err) {
  if (value_width > INT32_MAX) {
    ICE_FAIL(err, ICE_EINVAL, "dictionary: value width %zu too large", value_width);
  }
  struct pq_dict_builder *b = ice_calloc(1, sizeof *b);
  if (b == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (dictionary builder)");
  b->width = value_width;
  b->nslots = 64; /* grows with use: wide schemas hold one builder per column */
  b->slots = ice_calloc(b->nslots, sizeof *b->slots);
  if (b->slots == NULL) {
    ice_free(b);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (dictionary slots)");
  }
  ice_buf_init(&b->values, ICE_LIMIT_PAGE_BYTES);
  *out = b;
  return ICE_OK;
}

int pq_dict_builder_set_budget(struct pq_dict_builder *b, struct ice_mem_budget *budget,
                               struct ice_error *err) {
  ice_mem_release(b->budget, table_bytes(b));
  b->budget = NULL;
  ice_buf_set_budget(&b->values, budget);
  ICE_TRY(ice_mem_charge(budget, table_bytes(b), err));
  b->budget = budget;
  return ICE_OK;
}

void pq_dict_builder_free(struct pq_dict_builder *b) {
  if (b == NULL) return;
  ice_mem_release(b->budget, table_bytes(b));
  ice_free(b->slots);
  ice_free(b->entries);
  ice_buf_reset(&b->values);
  ice_free(b);
}

static int grow_slots(struct pq_dict_builder *b, struct ice_error *err) {
  size_t n = b->nslots * 2;
  ICE_TRY(ice_mem_charge(b->budget, (int64_t)(b->nslots * sizeof *b->slots), err));
  uint32_t *s = ice_calloc(n, sizeof *s);
  if (s == NULL) {
    ice_mem_release(b->budget, (int64_t)(b->nslots * sizeof *b->slots));
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (dictionary slots)");
  }
  size_t mask = n - 1;
  for (uint32_t e = 0; e < b->count; e++) {
    size_t i = b->entries[e].hash & mask;
    while (s[i] != 0) i = (i + 1) & mask;
    s[i] = e + 1;
  }
  ice_free(b->slots);
  b->slots = s;
  b->nslots = n;
  return ICE_OK;
}

/* Appends a new entry (the slot is chosen by the caller's probe). */
static int add_entry(struct pq_dict_builder *b, const uint8_t *p, uint32_t len,
                     uint32_t hash, size_t slot, uint32_t *index, struct ice_error *err) {
  if (b->count >= ICE_LIMIT_DICT_ENTRIES) {
    ICE_FAIL(err, ICE_ELIMIT, "dictionary exceeds %u entries", ICE_LIMIT_DICT_ENTRIES);
  }
  if (b->count == b->entries_cap) {
    size_t cap = b->entries_cap ? b->entries_cap * 2 : 32;
    int64_t more = (int64_t)((cap - b->entries_cap) * sizeof *b->entries);
    ICE_TRY(ice_mem_charge(b->budget, more, err));
    struct pq_dict_entry *e = ice_realloc(b->entries, cap * sizeof *e);
    if (e == NULL) {
      ice_mem_release(b->budget, more);
      ICE_FAIL(err, ICE_ENOMEM, "out of memory (dictionary entries)");
    }
    b->entries = e;
    b->entries_cap = cap;
  }
  uint64_t off = b->values.len;
  ICE_TRY(ice_buf_append(&b->values, p, len, err));
  b->entries[b->count] = (struct pq_dict_entry){off, len, hash};
  b->slots[slot] = b->count + 1;
  *index = b->count++;
  b->encoded_size += (uint64_t)len + (b->width == 0 ? 4 : 0);
  return ICE_OK;
}

/* Keeps the load factor <= 1/2 *before* a probe, so the table always has empty
 * slots (probes terminate) even after an allocation failure. */
static inline int ensure_room(struct pq_dict_builder *b, struct ice_error *err) {
  if (((size_t)b->count + 1) * 2 > b->nslots) return grow_slots(b, err);
  return ICE_OK;
}

#if defined(__GNUC__)
#define PQ_INLINE static inline __attribute__((always_inline))
#else
#define PQ_INLINE static inline
#endif

/* Fixed width: entry e lives at values + e*width, so a probe compares the value
 * itself (a single load when W is the constant 4 or 8). */
PQ_INLINE int lookup_fixed(struct pq_dict_builder *b, const uint8_t *p, const uint32_t w,
                           uint32_t *index, struct ice_error *err) {
  ICE_TRY(ensure_room(b, err));
  uint32_t h = hash_fixed(p, w);
  size_t mask = b->nslots - 1;
  size_t i = h & mask;
  for (;;) {
    uint32_t s = b->slots[i];
    if (s == 0) return add_entry(b, p, w, h, i, index, err);
    if (memcmp(b->values.data + (size_t)(s - 1) * w, p, w) == 0) {
      *index = s - 1;
      return ICE_OK;
    }
    i = (i + 1) & mask;
  }
}

/* Equality of two byte strings of the same length; short ones (the usual dictionary
 * candidates) by two overlapping loads instead of a memcmp call. */
static inline bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    memcpy(&a1, a + n - 8, 8);
    memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t a0, a1, b0, b1;
    memcpy(&a0, a, 4);
    memcpy(&b0, b, 4);
    memcpy(&a1, a + n - 4, 4);
    memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  return n == 0 || memcmp(a, b, n) == 0;
}

PQ_INLINE int lookup_bytes(struct pq_dict_builder *b, const uint8_t *p, uint32_t len,
                           uint32_t *index, struct ice_error *err) {
  ICE_TRY(ensure_room(b, err));
  uint32_t h = hash_bytes(p, len);
  size_t mask = b->nslots - 1;
  size_t i = h & mask;
  for (;;) {
    uint32_t s = b->slots[i];
    if (s == 0) return add_entry(b, p, len, h, i, index, err);
    const struct pq_dict_entry *e = &b->entries[s - 1];
    /* Empty entries take no bytes, so values.data may still be NULL: no pointer
     * arithmetic on it then (offsetting NULL, even by 0, is undefined). */
    if (e->hash == h && e->len == len &&
        (len == 0 || same_bytes(b->values.data + e->off, p, len))) {
      *index = s - 1;
      return ICE_OK;
    }
    i = (i + 1) & mask;
  }
}

int pq_dict_builder_put_fixed(struct pq_dict_builder *b, const void *values, size_t n,
                              uint32_t *indices, struct ice_error *err) {
  if (b->width == 0) ICE_FAIL(err, ICE_EINVAL, "dictionary: byte-array builder");
  const uint8_t *p = values;
  uint32_t w = (uint32_t)b->width;
  if (w == 4) {
    for (size_t i = 0; i < n; i++) ICE_TRY(lookup_fixed(b, p + i * 4, 4, &indices[i], err));
  } else if (w == 8) {
    for (size_t i = 0; i < n; i++) ICE_TRY(lookup_fixed(b, p + i * 8, 8, &indices[i], err));
  } else {
    for (size_t i = 0; i < n; i++) ICE_TRY(lookup_fixed(b, p + i * w, w, &indices[i], err));
  }
  return ICE_OK;
}

int pq_dict_builder_put_bytes(struct pq_dict_builder *b, const struct pq_enc_bytes *values,
                              size_t n, uint32_t *indices, struct ice_error *err) {
  if (b->width != 0) ICE_FAIL(err, ICE_EINVAL, "dictionary: fixed-width builder");
  for (size_t i = 0; i < n; i++) {
    ICE_TRY(lookup_bytes(b, values[i].ptr, values[i].len, &indices[i], err));
  }
  return ICE_OK;
}

uint32_t pq_dict_builder_count(const struct pq_dict_builder *b) {
  return b->count;
}

uint64_t pq_dict_builder_encoded_size(const struct pq_dict_builder *b) {
  return b->encoded_size;
}

uint32_t pq_dict_builder_index_bit_width(const struct pq_dict_builder *b) {
  return pq_bit_width(b->count > 0 ? b->count - 1 : 0);
}

int pq_dict_builder_write_page(const struct pq_dict_builder *b, struct ice_buf *out,
                               struct ice_error *err) {
  if (b->width != 0) return ice_buf_append(out, b->values.data, b->values.len, err);
  if (b->encoded_size > SIZE_MAX) ICE_FAIL(err, ICE_ELIMIT, "dictionary too large");
  ICE_TRY(ice_buf_reserve(out, (size_t)b->encoded_size, err));
  for (uint32_t i = 0; i < b->count; i++) {
    const struct pq_dict_entry *e = &b->entries[i];
    uint8_t *d = out->data + out->len;
    d[0] = (uint8_t)e->len;
    d[1] = (uint8_t)(e->len >> 8);
    d[2] = (uint8_t)(e->len >> 16);
    d[3] = (uint8_t)(e->len >> 24);
    if (e->len) memcpy(d + 4, b->values.data + e->off, e->len);
    out->len += 4 + (size_t)e->len;
  }
  return ICE_OK;
}

struct pq_enc_bytes pq_dict_builder_entry(const struct pq_dict_builder *b, uint32_t i) {
  struct pq_enc_bytes v = {NULL, 0};
  if (i < b->count && b->entries[i].len > 0) {
    v.ptr = b->values.data + b->entries[i].off;
    v.len = b->entries[i].len;
  }
  return v;
}

void pq_dict_builder_clear(struct pq_dict_builder *b) {
  b->count = 0;
  b->encoded_size = 0;
  memset(b->slots, 0, b->nslots * sizeof *b->slots);
  ice_buf_clear(&b->values);
}
