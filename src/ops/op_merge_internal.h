/* SPDX-License-Identifier: Apache-2.0 */
/* The state a merge carries between its passes (op_merge.h), shared by its files. */
#ifndef ICE_OPS_OP_MERGE_INTERNAL_H
#define ICE_OPS_OP_MERGE_INTERNAL_H

#include "arrow/arrow_type.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_types.h"
#include "ops/op_key_map.h"
#include "ops/op_key_set.h"
#include "ops/op_merge.h"
#include "ops/op_row_hash.h"
#include "ops/op_scan_plan.h"
#include "ops/op_spill.h"
#include "util/bitmap.h"
#include "util/bloom.h"
#include "util/buf.h"

/* The incoming keys' range in one key column, for pruning by file bounds: integers
 * (every int-like, date, time and timestamp type) as int64, strings and binary as
 * bytes. Other types are not pruned on. */
struct merge_range {
  enum { RANGE_NONE, RANGE_INT, RANGE_BYTES } kind;
  bool have;
  int width; /* bytes of an integer column's values */
  int64_t lo, hi;
  struct ice_buf lo_bytes, hi_bytes;
};

struct merge_key {
  int32_t id;
  size_t col; /* child of the table's Arrow schema */
  struct arrow_type type;
  /* Copies, not pointers into the table's schema: a commit that loses the race
   * refreshes the table (freeing that schema) before the merge re-validates. */
  char *name;
  struct ib_type ib_type; /* primitive (op_merge_keys.h): it owns nothing */
  struct merge_range range;
};

/* The index's value for one incoming key. */
struct merge_entry {
  struct op_row_hash h; /* the kept row's fingerprint (upsert) */
  int64_t ord;          /* input row kept for the key (dedup first/last) */
  uint32_t match_task;  /* plan task whose row matched it + 1; 0 = none yet */
  uint8_t hard;         /* the kept row is a hard delete */
  uint8_t repeated;     /* delete-insert: the key came more than once */
};

/* The column-wise resolve of an upsert's matches (op_merge_resolve.c). */
#define MERGE_COLH_MAX 4
struct merge_colh_col {
  size_t col;                /* child of the table's Arrow schema */
  int32_t id;                /* its field id */
  struct ArrowSchema schema; /* "+s" of that column alone */
};
/* A stored row whose key matched, waiting to be resolved. */
struct merge_pending {
  uint64_t at; /* its index entry */
  int64_t pos; /* file position */
  uint32_t task;
};
struct merge_colh {
  bool on;
  size_t n; /* columns compared one at a time, cheapest first */
  struct merge_colh_col cols[MERGE_COLH_MAX];
  struct ice_buf in;      /* per input row: n 32-bit hashes of its values in them */
  struct ice_buf pending; /* struct merge_pending, in (task, position) order */
  size_t pass, cursor;    /* during a pass: its column, the next pending row */
  size_t *idx;            /* scratch: pending row of each taken row */
  size_t idx_cap;
};

/* A partition field decided by a key column (op_merge_parts.c): what the incoming keys
 * give it. */
struct merge_part_field {
  bool have, off;                /* off: not tracked (too many buckets, odd types) */
  struct ice_bitmap buckets;     /* bucket: the buckets hit */
  struct ib_value lo, hi;        /* identity, truncate: the range of values */
  struct ice_buf lo_buf, hi_buf; /* their bytes */
};
/* One spec's such fields, bound to the rows' schema. */
struct merge_part_spec {
  int32_t spec_id;
  struct ib_partition_binding binding; /* those fields only, in spec order */
  struct ib_partition_key key;         /* scratch */
  struct merge_part_field *fields;     /* binding.n */
};

struct op_merge {
  const struct op_table *t;
  const struct ArrowSchema *table_arrow;
  struct arrow_type row_type; /* "+s" of the table */
  struct op_merge_options o;
  struct ice_mem_budget *budget;
  struct ice_thread_pool *pool; /* decodes stored files' columns at once; NULL: serial */
  bool read_ahead;              /* stored files are read ahead (op_merge_ahead.c) */
  struct ice_thread_pool *read_pool; /* the read-ahead thread's decoders (owned), or NULL */
  struct merge_key *keys;
  size_t n_keys;
  int64_t hard_col; /* child index of the hard-delete column, -1 = none */
  struct op_key_map index;
  struct ice_bitmap skip; /* input rows not written */
  int64_t ingested;       /* input rows seen in pass 1 */
  int64_t filtered;       /* input rows seen in pass 3 */
  int64_t written;        /* input rows written in pass 3 */
  int64_t hard_rows;      /* input rows that are hard deletes */
  struct ice_buf key;     /* scratch */
  struct op_row_hash *hashes;
  size_t hashes_cap;
  int64_t *take;
  size_t take_cap;
  /* probe */
  struct op_scan_plan plan;
  bool planned;
  /* Incoming keys: most stored keys miss it. Spilled keys enter it as they are
   * spilled; an index in memory is copied into it when the probe first needs it (not
   * at all when every stored batch's keys ascend: the sorted walk serves). */
  struct ice_bloom bloom;
  bool bloom_filled;
  /* The first key column's incoming values, sorted at the probe, when it is an integer
   * column and they fit an eighth of the budget: a file is read only if one of them
   * lies within its bounds (inserts far from the updates do not stretch a range). */
  struct ice_buf first_values;
  size_t n_first;
  bool first_ok;
  struct ice_bitmap *deleted; /* per plan task: stored positions to delete */
  struct ice_bitmap *matched; /* per plan task: positions whose key matched (upsert,
                                 resolved by fingerprint after the probe) */
  size_t *affected;           /* tasks with deleted rows; after the probe in
                                 (spec, partition, path) order */
  size_t n_affected;
  bool mor;
  int32_t default_spec;          /* the spec merge-on-read deletes are written for */
  struct merge_part_spec *parts; /* specs with fields the keys decide */
  size_t n_parts;
  struct op_merge_counts counts;
  struct merge_colh colh;
  /* commit */
  struct op_change change;
  struct op_key_set removed;   /* paths of the files it rewrites or deletes from */
  struct op_key_set rewritten; /* those the snapshot removes (copy-on-write) */
  struct op_key_set manifests; /* manifests that list them */
  int64_t planned_snapshot;    /* -1: no snapshot */
  /* spilling, when the index outgrows its share of the budget */
  int64_t expected_rows; /* input rows in all (0 = unknown) */
  bool spilling;
  struct op_spill in_spill; /* incoming: ord, fingerprint, hard */
  struct op_spill st_spill; /* stored: task, position, fingerprint */
};

/* Spill payloads. */
struct in_record {
  int64_t ord;
  struct op_row_hash h;
  uint8_t hard;
};
struct st_record {
  int64_t task, pos;
  struct op_row_hash h;
};

/* op_merge.c */
int merge_grow_scratch(struct op_merge *m, int64_t n,
                       struct ice_error *err) ICE_NODISCARD;
/* The field ids of the table's columns (ice_malloc'd, one per child). */
int merge_table_ids(const struct op_merge *m, int32_t **out,
                    struct ice_error *err) ICE_NODISCARD;
/* Reads task `task` with tr (opened and closed here), calling fn for each batch of
 * live rows with their file positions; stops at the first error or cancellation. */
typedef int (*merge_batch_fn)(struct op_merge *m, const void *ctx, size_t task,
                              const struct ArrowArray *b, const int64_t *pos,
                              struct ice_error *err);
struct op_task_reader;
int merge_each_batch(struct op_merge *m, const struct io_fileio *io,
                     struct op_task_reader *tr, size_t task,
                     const struct op_merge_sink *sink, merge_batch_fn fn, const void *ctx,
                     struct ice_error *err) ICE_NODISCARD;
/* The same with the next batch read ahead on a thread (m->read_ahead). */
int merge_each_batch_ahead(struct op_merge *m, const struct io_fileio *io,
                           struct op_task_reader *tr, size_t task,
                           const struct op_merge_sink *sink, merge_batch_fn fn,
                           const void *ctx, struct ice_error *err) ICE_NODISCARD;
/* The key of `row` into m->key; cols[k] is key k's child in batch. */
int merge_key_of(struct op_merge *m, const struct ArrowArray *batch, const size_t *cols,
                 int64_t row, struct ice_error *err) ICE_NODISCARD;
/* Enters key m->key (input row ord, fingerprint h) into the index, applying the
 * strategy's rule for a repeated key. input/row name the row in messages (input NULL:
 * only its ordinal is known). */
int merge_index_key(struct op_merge *m, int64_t ord, struct op_row_hash h, bool hard,
                    const char *input, int64_t row, struct ice_error *err) ICE_NODISCARD;
/* An encoded key as text for messages (NUL-terminated in out). */
int merge_format_key(const struct op_merge *m, const uint8_t *key, size_t len,
                     struct ice_buf *out);

/* op_merge_probe.c */
/* The stored row at pos of task `task` whose key m->key is index entry `at`; stored is
 * its fingerprint, NULL when not known yet (an upsert's match then waits in
 * m->matched for the whole-row read). */
int merge_resolve_match(struct op_merge *m, size_t task, int64_t pos, uint64_t at,
                        const struct op_row_hash *stored,
                        struct ice_error *err) ICE_NODISCARD;

/* op_merge_resolve.c */
/* Picks the columns compared one by one (an upsert's, none otherwise). */
int merge_colh_init(struct op_merge *m, struct ice_error *err) ICE_NODISCARD;
void merge_colh_reset(struct op_merge *m);
/* Stops the column-wise resolve and frees what it holds (the whole-row read then
 * decides every match). */
void merge_colh_off(struct op_merge *m);
/* The column hashes of an input batch (before its rows are ingested). */
int merge_colh_ingest(struct op_merge *m, const struct ArrowArray *batch,
                      struct ice_error *err) ICE_NODISCARD;
/* Notes a matched stored row (also set in m->matched[task]). */
int merge_colh_pending_add(struct op_merge *m, size_t task, int64_t pos, uint64_t at,
                           struct ice_error *err) ICE_NODISCARD;
/* Decides each matched row: updated (deleted from its file) or unchanged (the input
 * row skipped). */
int merge_resolve_matches(struct op_merge *m, const struct io_fileio *io,
                          const struct op_merge_sink *sink,
                          struct ice_error *err) ICE_NODISCARD;

/* op_merge_spill.c */
/* Moves the index to spill files when it outgrew its share of the budget, or `now`
 * (the budget refused its growth). */
int merge_spill_maybe(struct op_merge *m, bool now, struct ice_error *err) ICE_NODISCARD;
/* An incoming key's record to the spill files (and its key to the Bloom filter). */
int merge_spill_put_incoming(struct op_merge *m, const uint8_t *key, size_t len,
                             const struct in_record *rec,
                             struct ice_error *err) ICE_NODISCARD;
/* The probe of a spilling merge: each part's incoming keys indexed, its stored keys
 * resolved against them. */
int merge_spill_join(struct op_merge *m, struct ice_error *err) ICE_NODISCARD;

/* op_merge_prune.c */
/* Notes the first key column's value of `row` for pruning (turns itself off when the
 * values do not fit). */
void merge_first_add(struct op_merge *m, const struct ArrowArray *col, int64_t row);
/* Sorts and dedups them (before the probe). */
void merge_first_sort(struct op_merge *m);
void merge_range_init(struct merge_range *r, const struct arrow_type *t);
void merge_range_reset(struct merge_range *r);
/* An integer-like value (int, long, date, time, timestamps) as int64 into *out; false
 * for other types. Shared by file-bound and partition-value pruning. */
bool merge_value_int(const struct ib_value *v, int64_t *out);
int merge_range_add(struct merge_range *r, const struct ArrowArray *col, int64_t row,
                    struct ice_error *err) ICE_NODISCARD;
/* The rows of a batch's first key column `col` (n rows) whose value is an incoming
 * one, into rows[]; their count, or -1 when the column does not ascend (or has nulls,
 * or the values were not kept): then the Bloom filter decides. Sorted stored keys meet
 * the sorted incoming values in one walk, without a hash or a cache miss per row. */
int64_t merge_first_hits(const struct op_merge *m, const struct ArrowArray *col,
                         int64_t n, int64_t *rows);
/* Whether a data file of spec spec_id with these bounds and partition can hold one of
 * the incoming keys. */
bool merge_file_may_match(const struct op_merge *m, int32_t spec_id,
                          const struct ib_data_file *f);

/* op_merge_parts.c */
void merge_parts_reset(struct op_merge *m);
/* Notes the partition values the keys of `row` give (its keys checked not null). */
int merge_parts_ingest(struct op_merge *m, const struct ArrowArray *batch, int64_t row,
                       struct ice_error *err) ICE_NODISCARD;
/* Whether a file of spec spec_id with tuple t can hold an incoming key, by the
 * partition fields the keys decide. */
bool merge_parts_may_match(const struct op_merge *m, int32_t spec_id,
                           const struct ib_partition_tuple *t);
/* A total order on (spec, tuple): 0 only for the same spec and identical values. */
int merge_tuple_order(int32_t spec_a, const struct ib_partition_tuple *a, int32_t spec_b,
                      const struct ib_partition_tuple *b);

#endif
