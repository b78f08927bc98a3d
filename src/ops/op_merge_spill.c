/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A merge whose index of incoming keys outgrows half of the budget moves to spill
 * files (op_spill.h): the keys indexed so far and every later input row go to
 * hash-partitioned files, the probe writes each candidate stored row's key to a second
 * set partitioned the same way, and then part by part the incoming keys are indexed
 * (with the same rules for repeated keys, in input order) and the stored keys resolved
 * against them. One part's index is what memory holds at a time, so the number of parts
 * is chosen from the expected input rows.
 */
#include <string.h>

#include "ops/op_merge_internal.h"
#include "util/killpoint.h"

/* The index may hold this share of the budget before spilling. */
#define INDEX_SHARE 2
#define MAX_PARTS 4096

static size_t index_bytes(const struct op_merge *m) {
  return m->index.entries.cap + m->index.slots.cap;
}

/* Parts enough that each holds an index of at most half the allowed share. */
static size_t choose_parts(const struct op_merge *m) {
  double per_key = (double)index_bytes(m) / (double)(m->index.n ? m->index.n : 1);
  int64_t rows = m->expected_rows > m->ingested ? m->expected_rows : m->ingested * 4;
  double want = per_key * (double)rows / ((double)m->budget->limit / INDEX_SHARE / 2);
  size_t n = 2;
  while ((double)n < want && n < MAX_PARTS) n *= 2;
  return n;
}

int merge_spill_put_incoming(struct op_merge *m, const uint8_t *key, size_t len,
                             const struct in_record *rec, struct ice_error *err) {
  ice_bloom_add(&m->bloom, key, len);
  return op_spill_put(&m->in_spill, key, len, rec, err);
}

static int spill_index(struct op_merge *m, struct ice_error *err) {
  uint64_t at = 0, entry;
  while (op_key_map_next(&m->index, &entry, &at)) {
    size_t len;
    const uint8_t *k = op_key_map_key(&m->index, entry, &len);
    struct merge_entry e;
    memcpy(&e, op_key_map_value(&m->index, entry), sizeof e);
    struct in_record rec = {e.ord, e.h, e.hard};
    ICE_TRY(merge_spill_put_incoming(m, k, len, &rec, err));
  }
  op_key_map_reset(&m->index);
  return ICE_OK;
}

int merge_spill_maybe(struct op_merge *m, bool now, struct ice_error *err) {
  if (m->spilling || m->budget == NULL || m->budget->limit <= 0) return ICE_OK;
  if (!now && (int64_t)index_bytes(m) <= m->budget->limit / INDEX_SHARE) return ICE_OK;
  size_t parts = choose_parts(m);
  /* Spilled records carry whole-row fingerprints instead of column hashes; freed
   * first, so a budget the index filled has room for the spill buffers. */
  merge_colh_off(m);
  /* The entries indexed so far had their repeats resolved already: as records they
   * come first in their parts, before every later row, so input order holds. */
  ICE_TRY(op_spill_open(&m->in_spill, parts, sizeof(struct in_record), m->budget, err));
  m->spilling = true;
  ICE_TRY(spill_index(m, err));
  ice_killpoint("merge-spilling");
  return ICE_OK;
}

static int index_record(void *ctx, const uint8_t *key, size_t len, const uint8_t *payload,
                        struct ice_error *err) {
  struct op_merge *m = ctx;
  struct in_record rec;
  memcpy(&rec, payload, sizeof rec);
  ice_buf_clear(&m->key);
  if (len) ICE_TRY(ice_buf_append(&m->key, key, len, err));
  return merge_index_key(m, rec.ord, rec.h, rec.hard != 0, NULL, 0, err);
}

static int resolve_record(void *ctx, const uint8_t *key, size_t len,
                          const uint8_t *payload, struct ice_error *err) {
  struct op_merge *m = ctx;
  uint64_t at;
  if (!op_key_map_find(&m->index, key, len, &at)) return ICE_OK;
  struct st_record rec;
  memcpy(&rec, payload, sizeof rec);
  if (rec.task < 0 || (size_t)rec.task >= m->plan.n_tasks)
    ICE_FAIL(err, ICE_ECORRUPT, "spill record names task %lld of %zu",
             (long long)rec.task, m->plan.n_tasks);
  ice_buf_clear(&m->key); /* for messages about this key */
  if (len) ICE_TRY(ice_buf_append(&m->key, key, len, err));
  return merge_resolve_match(m, (size_t)rec.task, rec.pos, at, &rec.h, err);
}

int merge_spill_join(struct op_merge *m, struct ice_error *err) {
  ICE_TRY(op_spill_finish(&m->st_spill, err));
  for (size_t p = 0; p < m->in_spill.n_parts; p++) {
    op_key_map_reset(&m->index);
    ICE_TRY(op_spill_read(&m->in_spill, p, index_record, m, err));
    ICE_TRY(op_spill_read(&m->st_spill, p, resolve_record, m, err));
  }
  op_key_map_reset(&m->index);
  op_spill_close(&m->in_spill);
  op_spill_close(&m->st_spill);
  return ICE_OK;
}
