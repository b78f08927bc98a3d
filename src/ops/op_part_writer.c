/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition router (op_part_writer.h). A row's tuple is encoded (per field a null
 * tag, then its §4 bytes with their length) and looked up in a key map of partitions
 * met so far; rows of one batch are grouped by target (a partition writer or a run)
 * and each group is taken into a batch of its own, unless the whole batch has one
 * target. With a thread pool the groups of a batch are written side by side, one
 * writer per task: each writer still gets its rows in the same order, so its files
 * are those one thread writes.
 */
#include "ops/op_part_writer.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_take.h"
#include "codec/codec.h"
#include "ops/op_input.h"
#include "ops/op_key_map.h"
#include "ops/op_spill.h"
#include "ops/op_threads.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/killpoint.h"
#include "util/thread_pool.h"

/* Runs are routed again at most this deep; past it a partition that finds no free
 * writer takes the one open longest (closing its file early) rather than spill. */
#define MAX_LEVEL 6
/* Smallest budget share of one writer: its row group flushes past it. */
#define MIN_WRITER_BYTES (64ll * 1024)

struct part_slot {
  struct op_part_writer *owner;
  struct wr_data_writer *w;  /* NULL before the first row and after an eviction */
  char *dir;                 /* Hive-style folder of the partition */
  struct ib_data_file tuple; /* only its partition tuple */
};

struct spill_run {
  struct op_part_writer *owner;
  size_t no;
  struct wr_data_writer *w;
  struct io_str_list files; /* its Parquet files in the spill folder */
  int64_t rows;
};

/* What the routers of one load share while groups are written on several threads:
 * the lock around everything a writer reaches outside itself (the file counter, the
 * load's callbacks, the spill folder, run statistics) and a compression context per
 * pool thread (the caller, worker 0, keeps the router's). The top router owns it. */
struct router_threads {
  pthread_mutex_t mu;
  struct codec_ctx *codecs; /* [workers] */
  int workers;
};

/* One target's rows of the batch being routed. */
struct group {
  struct wr_data_writer *w;
  int64_t at, count; /* into idx */
};

struct op_part_writer {
  struct op_part_writer_config cfg;
  struct router_threads *th; /* NULL: one thread */
  bool owns_th;
  struct group *groups;
  size_t groups_cap, n_groups;
  struct wr_options wo; /* cfg->wo with sizes for one of many writers (shallow) */
  struct wr_options run_wo;
  int level;
  struct op_spill *spill; /* the top router's (owned there, lazily opened) */
  bool owns_spill;
  struct op_key_map map; /* encoded tuple -> int32 slot */
  struct part_slot **slots;
  size_t n_slots, cap_slots;
  int64_t open; /* slots with a writer */
  size_t evict_at;
  struct spill_run *runs;
  size_t n_runs;
  struct ib_partition_key key;
  struct ice_buf enc, val, prev; /* this row's encoded tuple, a value, the last row's */
  int32_t *target;               /* per row of the batch: slot, or -1 - run */
  int64_t *idx, *count, *start;
  size_t rows_cap, targets_cap;
  struct op_part_writer_stats stats;
  int64_t held;        /* slots and scratch, held in the budget */
  int64_t *file_index; /* shared counter of data files (the top router's) */
  int64_t own_file_index;
  struct codec_ctx own_codec; /* the top router's, shared by all its writers */
  bool failed;
};

int64_t op_part_writer_default_max_open(int64_t limit) {
  int64_t n = limit / 4 / OP_PART_WRITER_SHARE;
  return n < 4 ? 4 : n > 4096 ? 4096 : n;
}

/* Runs per level: enough that a level's spilled partitions fit the next level's
 * writers when they are up to max_open times as many. */
static size_t runs_for(int64_t max_open) {
  size_t n = 2;
  while ((int64_t)n * 2 < max_open && n < 256) n *= 2;
  return n;
}

/* Shrinks o's sizes to one writer's share of the budget. */
static void fit_share(struct wr_options *o, int64_t share) {
  struct pq_writer_options *p = &o->parquet;
  if (share < MIN_WRITER_BYTES) share = MIN_WRITER_BYTES;
  if (p->memory_budget <= 0 || p->memory_budget > share) p->memory_budget = share;
  if (p->row_group_bytes > share) p->row_group_bytes = share;
  if (p->page_bytes > share / 4) p->page_bytes = share / 4;
  if (p->dict_bytes > share / 4) p->dict_bytes = share / 4;
}

/* Router memory outside any buffer: held (it exists already), so the writers' budget
 * shares see it. */
static void hold(struct op_part_writer *pw, int64_t n) {
  ice_mem_hold(pw->cfg.budget, n);
  pw->held += n;
}

static void lock(struct op_part_writer *pw) {
  if (pw->th != NULL) pthread_mutex_lock(&pw->th->mu);
}

static void unlock(struct op_part_writer *pw) {
  if (pw->th != NULL) pthread_mutex_unlock(&pw->th->mu);
}

static void threads_free(struct router_threads *th) {
  if (th == NULL) return;
  for (int i = 0; th->codecs != NULL && i < th->workers; i++)
    codec_ctx_reset(&th->codecs[i]);
  ice_free(th->codecs);
  pthread_mutex_destroy(&th->mu);
  ice_free(th);
}

static int threads_new(struct ice_thread_pool *pool, struct router_threads **out,
                       struct ice_error *err) {
  *out = NULL;
  if (pool == NULL || ice_thread_pool_workers(pool) < 2) return ICE_OK;
  struct router_threads *th = ice_calloc(1, sizeof *th);
  if (th == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  pthread_mutex_init(&th->mu, NULL);
  th->workers = ice_thread_pool_workers(pool);
  th->codecs = ice_calloc((size_t)th->workers, sizeof *th->codecs);
  if (th->codecs == NULL) {
    threads_free(th);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (int i = 0; i < th->workers; i++) codec_ctx_init(&th->codecs[i]);
  *out = th;
  return ICE_OK;
}

static int new_router(const struct op_part_writer_config *cfg, int level,
                      struct op_spill *spill, int64_t *file_index,
                      struct codec_ctx *codec, struct router_threads *th,
                      struct op_part_writer **out, struct ice_error *err) {
  struct op_part_writer *pw = ice_calloc(1, sizeof *pw);
  if (pw == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  pw->cfg = *cfg;
  pw->level = level;
  pw->th = th;
  int64_t limit = cfg->budget ? cfg->budget->limit : (1ll << 30);
  if (pw->cfg.max_open <= 0) pw->cfg.max_open = op_part_writer_default_max_open(limit);
  /* S3 parts are megabytes each: half the budget holds them, whatever else says. */
  if (cfg->output_buffer_bytes > 0) {
    int64_t fit = limit / 2 / cfg->output_buffer_bytes;
    if (fit < 1) fit = 1;
    if (pw->cfg.max_open > fit) pw->cfg.max_open = fit;
  }
  pw->n_runs = runs_for(pw->cfg.max_open);
  int64_t share = limit / 4 / (pw->cfg.max_open + (int64_t)pw->n_runs);
  pw->wo = *cfg->wo;
  fit_share(&pw->wo, share);
  codec_ctx_init(&pw->own_codec);
  pw->wo.parquet.shared_codec = codec ? codec : &pw->own_codec;
  /* Runs are read back once: no compression, no bounds beyond what reading needs. */
  pw->run_wo = pw->wo;
  pw->run_wo.parquet.codec = PQ_CODEC_UNCOMPRESSED;
  pw->run_wo.parquet.page_index = false;
  pw->run_wo.target_file_bytes = INT64_MAX / 4;
  pw->run_wo.iceberg_schema_json = NULL;
  pw->run_wo.file_kind = "temporary run";
  pw->spill = spill;
  pw->file_index = file_index ? file_index : &pw->own_file_index;
  op_key_map_init(&pw->map, sizeof(int32_t), cfg->budget);
  ice_buf_init(&pw->enc, (size_t)INT64_MAX);
  ice_buf_init(&pw->val, (size_t)INT64_MAX);
  ice_buf_init(&pw->prev, (size_t)INT64_MAX);
  pw->runs = ice_calloc(pw->n_runs, sizeof *pw->runs);
  int rc = pw->runs ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) rc = ib_partition_key_init(&pw->key, cfg->binding, err);
  if (rc == ICE_OK && level == 0) {
    rc = threads_new(cfg->pool, &pw->th, err);
    pw->owns_th = true;
  }
  if (rc != ICE_OK) {
    op_part_writer_free(pw);
    return rc;
  }
  *out = pw;
  return ICE_OK;
}

int op_part_writer_new(const struct op_part_writer_config *cfg,
                       struct op_part_writer **out, struct ice_error *err) {
  if (cfg->binding == NULL || cfg->binding->n == 0)
    ICE_FAIL(err, ICE_EINVAL, "a partition router needs a partitioned spec");
  return new_router(cfg, 0, NULL, NULL, NULL, NULL, out, err);
}

/* ------------------------------------------------------------ partition writers */

static int slot_open(void *ctx, int64_t index, struct ice_output **out, char **location,
                     struct ice_error *err) {
  (void)index;
  struct part_slot *s = ctx;
  struct op_part_writer *pw = s->owner;
  lock(pw);
  int64_t n = (*pw->file_index)++;
  int rc = pw->cfg.open_fn(pw->cfg.ctx, s->dir, n, out, location, err);
  unlock(pw);
  return rc;
}

static int slot_done(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct part_slot *s = ctx;
  lock(s->owner);
  int rc = s->owner->cfg.done_fn(s->owner->cfg.ctx, df, err);
  unlock(s->owner);
  return rc;
}

static void slot_free(struct part_slot *s) {
  if (s == NULL) return;
  wr_data_writer_free(s->w);
  ice_free(s->dir);
  ib_data_file_reset(&s->tuple);
  ice_free(s);
}

static int slot_start_writer(struct op_part_writer *pw, struct part_slot *s,
                             struct ice_error *err) {
  ICE_TRY(
      wr_data_writer_new(pw->cfg.schema, &pw->wo, slot_open, slot_done, s, &s->w, err));
  pw->open++;
  return wr_data_writer_set_partition(s->w, &s->tuple.partition, err);
}

static int slot_close_writer(struct op_part_writer *pw, struct part_slot *s,
                             struct ice_error *err) {
  if (s->w == NULL) return ICE_OK;
  int rc = wr_data_writer_close(s->w, err);
  wr_data_writer_free(s->w);
  s->w = NULL;
  pw->open--;
  return rc;
}

/* A new partition: its tuple (owned) and folder, from the key just evaluated. */
static int slot_new(struct op_part_writer *pw, int32_t *id, struct ice_error *err) {
  if (pw->n_slots == pw->cap_slots) {
    size_t nc = pw->cap_slots ? pw->cap_slots * 2 : 64;
    struct part_slot **p = ice_realloc(pw->slots, nc * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    pw->slots = p;
    hold(pw, (int64_t)((nc - pw->cap_slots) * sizeof *p));
    pw->cap_slots = nc;
  }
  if (pw->n_slots >= INT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "too many partitions");
  struct part_slot *s = ice_calloc(1, sizeof *s);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  s->owner = pw;
  ib_data_file_init(&s->tuple);
  pw->slots[pw->n_slots] = s;
  *id = (int32_t)pw->n_slots++;
  ICE_TRY(ib_partition_key_to_data_file(&pw->key, &s->tuple, err));
  struct ice_buf path;
  ice_buf_init(&path, (size_t)INT64_MAX);
  int rc = ib_partition_path(pw->cfg.binding, pw->key.values, pw->key.n, &path, err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(&path, 0, err);
  if (rc == ICE_OK) s->dir = (char *)ice_buf_take(&path);
  ice_buf_reset(&path);
  if (rc != ICE_OK) return rc;
  pw->stats.partitions++;
  /* The slot, its folder and its tuple (about its encoded key's size per copy). */
  hold(pw, (int64_t)(sizeof *s + strlen(s->dir) + 1 + 2 * pw->enc.len +
                     pw->key.n * sizeof(struct ib_partition_value)));
  return ICE_OK;
}

/* ------------------------------------------------------------ spill runs */

static int ensure_spill(struct op_part_writer *pw, struct ice_error *err) {
  if (pw->spill != NULL) return ICE_OK;
  pw->spill = ice_calloc(1, sizeof *pw->spill);
  if (pw->spill == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  pw->owns_spill = true;
  /* No hash parts: a folder for the runs' Parquet files only. */
  return op_spill_open(pw->spill, 0, 0, pw->cfg.budget, err);
}

static int run_open(void *ctx, int64_t index, struct ice_output **out, char **location,
                    struct ice_error *err) {
  struct spill_run *r = ctx;
  char name[96];
  snprintf(name, sizeof name, "run-%d-%05zu-%05lld-%p.parquet", r->owner->level, r->no,
           (long long)index, (void *)r->owner);
  char *path = NULL;
  lock(r->owner);
  int rc = op_spill_create_file(r->owner->spill, name, out, &path, err);
  unlock(r->owner);
  ICE_TRY(rc);
  rc = io_str_list_push(&r->files, path, err);
  if (rc != ICE_OK) {
    ice_free(path);
    ice_output_abort(*out);
    ice_output_close(*out);
    *out = NULL;
    return rc;
  }
  *location = path;
  return ICE_OK;
}

static int run_done(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct spill_run *r = ctx;
  (void)err;
  lock(r->owner);
  r->owner->stats.spilled_bytes += df->file_size_in_bytes;
  unlock(r->owner);
  return ICE_OK;
}

static int run_writer(struct op_part_writer *pw, size_t no, struct wr_data_writer **w,
                      struct ice_error *err) {
  struct spill_run *r = &pw->runs[no];
  if (r->w == NULL) {
    ICE_TRY(ensure_spill(pw, err));
    r->owner = pw;
    r->no = no;
    ICE_TRY(wr_data_writer_new(pw->cfg.schema, &pw->run_wo, run_open, run_done, r, &r->w,
                               err));
  }
  *w = r->w;
  return ICE_OK;
}

/* The run of an encoded tuple at this level: a hash remixed per level, so the
 * partitions of one run spread over the next level's runs. */
static size_t run_of(const struct op_part_writer *pw, const uint8_t *k, size_t len) {
  uint64_t h = ice_hash_bytes(k, len) + 0x9E3779B97F4A7C15ull * (uint64_t)(pw->level + 1);
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return (size_t)(h % pw->n_runs);
}

/* ------------------------------------------------------------ routing */

static int encode_key(struct op_part_writer *pw, struct ice_error *err) {
  ice_buf_clear(&pw->enc);
  for (size_t i = 0; i < pw->key.n; i++) {
    const struct ib_partition_value *v = &pw->key.values[i];
    ICE_TRY(ice_buf_append_byte(&pw->enc, v->is_null ? 0 : 1, err));
    if (v->is_null) continue;
    ice_buf_clear(&pw->val);
    ICE_TRY(ib_value_serialize(&v->value, &pw->val, err));
    uint32_t n = (uint32_t)pw->val.len;
    ICE_TRY(ice_buf_append(&pw->enc, &n, sizeof n, err));
    ICE_TRY(ice_buf_append(&pw->enc, pw->val.data, pw->val.len, err));
  }
  return ICE_OK;
}

/* The oldest-opened writer still open gives way (only past MAX_LEVEL). */
static int evict_one(struct op_part_writer *pw, struct ice_error *err) {
  for (size_t k = 0; k < pw->n_slots; k++) {
    struct part_slot *s = pw->slots[(pw->evict_at + k) % pw->n_slots];
    if (s->w == NULL) continue;
    pw->evict_at = (pw->evict_at + k + 1) % pw->n_slots;
    return slot_close_writer(pw, s, err);
  }
  return ICE_OK;
}

/* The target of the key just encoded: a slot (>= 0) with a writer, or -1 - run. */
static int find_target(struct op_part_writer *pw, int32_t *target,
                       struct ice_error *err) {
  uint64_t entry;
  int32_t id;
  if (op_key_map_find(&pw->map, pw->enc.data, pw->enc.len, &entry)) {
    memcpy(&id, op_key_map_value(&pw->map, entry), sizeof id);
    struct part_slot *s = pw->slots[id];
    if (s->w == NULL) { /* evicted at the last level */
      if (pw->open >= pw->cfg.max_open) ICE_TRY(evict_one(pw, err));
      ICE_TRY(slot_start_writer(pw, s, err));
    }
    *target = id;
    return ICE_OK;
  }
  if (pw->open >= pw->cfg.max_open && pw->level < MAX_LEVEL) {
    *target = -1 - (int32_t)run_of(pw, pw->enc.data, pw->enc.len);
    return ICE_OK;
  }
  if (pw->open >= pw->cfg.max_open) ICE_TRY(evict_one(pw, err));
  bool found;
  ICE_TRY(op_key_map_upsert(&pw->map, pw->enc.data, pw->enc.len, &entry, &found, err));
  ICE_TRY(slot_new(pw, &id, err));
  memcpy(op_key_map_value(&pw->map, entry), &id, sizeof id);
  ICE_TRY(slot_start_writer(pw, pw->slots[id], err));
  *target = id;
  return ICE_OK;
}

static int grow_scratch(struct op_part_writer *pw, int64_t rows, struct ice_error *err) {
  if ((size_t)rows > pw->rows_cap) {
    size_t n = (size_t)rows;
    int32_t *t = ice_realloc(pw->target, n * sizeof *t);
    if (t != NULL) pw->target = t;
    int64_t *x = ice_realloc(pw->idx, n * sizeof *x);
    if (x != NULL) pw->idx = x;
    if (t == NULL || x == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    hold(pw, (int64_t)((n - pw->rows_cap) * (sizeof *t + sizeof *x)));
    pw->rows_cap = n;
  }
  size_t targets = pw->n_slots + pw->n_runs;
  if (targets > pw->targets_cap) {
    size_t n = targets * 2;
    int64_t *c = ice_realloc(pw->count, n * sizeof *c);
    if (c != NULL) pw->count = c;
    int64_t *st = ice_realloc(pw->start, n * sizeof *st);
    if (st != NULL) pw->start = st;
    if (c == NULL || st == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    hold(pw, (int64_t)((n - pw->targets_cap) * (sizeof *c + sizeof *st)));
    pw->targets_cap = n;
  }
  return ICE_OK;
}

/* Target t as an index into count/start: slots first, then runs. */
static size_t target_index(const struct op_part_writer *pw, int32_t t) {
  return t >= 0 ? (size_t)t : pw->n_slots + (size_t)(-1 - t);
}

static int write_to(struct op_part_writer *pw, int32_t t, const struct ArrowArray *batch,
                    struct ice_error *err) {
  if (t >= 0) {
    struct part_slot *s = pw->slots[t];
    if (s->w == NULL) { /* evicted by a later row of this batch (last level only) */
      if (pw->open >= pw->cfg.max_open) ICE_TRY(evict_one(pw, err));
      ICE_TRY(slot_start_writer(pw, s, err));
    }
    return wr_data_writer_write(s->w, batch, err);
  }
  struct wr_data_writer *w = NULL;
  size_t no = (size_t)(-1 - t);
  ICE_TRY(run_writer(pw, no, &w, err));
  bool first = pw->stats.spilled_rows == 0 && pw->level == 0;
  pw->runs[no].rows += batch->length;
  pw->stats.spilled_rows += batch->length;
  ICE_TRY(wr_data_writer_write(w, batch, err));
  if (first) ice_killpoint("partition-spilling");
  return ICE_OK;
}

/* With threads, the batch's groups (counted in count/idx) as tasks, each with its
 * writer ready: run writers are started here, in target order, as the serial path
 * does. Not when a partition's writer was evicted (the serial path reopens it, and may
 * evict another of the batch's), nor for a single group. */
static int ready_groups(struct op_part_writer *pw, bool *parallel, bool *first_spill,
                        struct ice_error *err) {
  *parallel = false;
  *first_spill = false;
  /* Writers side by side hold their buffers at once (op_threads.h). */
  if (pw->th == NULL || !op_side_by_side(pw->cfg.budget)) return ICE_OK;
  size_t nt = pw->n_slots + pw->n_runs, ng = 0;
  for (size_t t = 0; t < nt; t++) {
    if (pw->count[t] == 0) continue;
    if (t < pw->n_slots && pw->slots[t]->w == NULL) return ICE_OK;
    ng++;
  }
  if (ng < 2) return ICE_OK;
  if (ng > pw->groups_cap) {
    struct group *g = ice_realloc(pw->groups, ng * 2 * sizeof *g);
    if (g == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    hold(pw, (int64_t)((ng * 2 - pw->groups_cap) * sizeof *g));
    pw->groups = g;
    pw->groups_cap = ng * 2;
  }
  int64_t at = 0;
  size_t k = 0;
  for (size_t t = 0; t < nt; t++) {
    int64_t c = pw->count[t];
    if (c == 0) continue;
    struct group *g = &pw->groups[k++];
    g->at = at;
    g->count = c;
    at += c;
    if (t < pw->n_slots) {
      g->w = pw->slots[t]->w;
      continue;
    }
    size_t no = t - pw->n_slots;
    ICE_TRY(run_writer(pw, no, &g->w, err));
    if (pw->stats.spilled_rows == 0 && pw->level == 0) *first_spill = true;
    pw->runs[no].rows += c;
    pw->stats.spilled_rows += c;
  }
  pw->n_groups = k;
  *parallel = true;
  return ICE_OK;
}

struct groups_job {
  struct op_part_writer *pw;
  const struct ArrowArray *batch;
};

static int group_task(void *ctx, size_t task, int worker, struct ice_error *err) {
  const struct groups_job *j = ctx;
  struct op_part_writer *pw = j->pw;
  const struct group *g = &pw->groups[task];
  struct codec_ctx *own = pw->wo.parquet.shared_codec;
  /* The caller (worker 0) keeps the router's context; others use their own. */
  if (worker > 0) wr_data_writer_use_codec(g->w, &pw->th->codecs[worker]);
  struct ArrowArray part = {0};
  int rc =
      arrow_array_take(pw->cfg.schema, j->batch, pw->idx + g->at, g->count, &part, err);
  if (rc == ICE_OK) rc = wr_data_writer_write(g->w, &part, err);
  arrow_array_release(&part);
  if (worker > 0) wr_data_writer_use_codec(g->w, own);
  return rc;
}

static int write_groups(struct op_part_writer *pw, const struct ArrowArray *batch,
                        struct ice_error *err) {
  struct groups_job job = {pw, batch};
  return ice_thread_pool_run(pw->cfg.pool, pw->n_groups, group_task, &job, err);
}

static int route(struct op_part_writer *pw, const struct ArrowArray *batch,
                 struct ice_error *err) {
  int64_t n = batch->length;
  if (n == 0) return ICE_OK;
  ICE_TRY(grow_scratch(pw, n, err));
  bool one = true;
  for (int64_t r = 0; r < n; r++) {
    ICE_TRY(ib_partition_key_eval(pw->cfg.binding, batch, r, &pw->key, err));
    ICE_TRY(encode_key(pw, err));
    /* Clustered input repeats the tuple: the lookup is skipped. */
    if (r > 0 && pw->enc.len == pw->prev.len &&
        memcmp(pw->enc.data, pw->prev.data, pw->enc.len) == 0) {
      pw->target[r] = pw->target[r - 1];
      continue;
    }
    ICE_TRY(find_target(pw, &pw->target[r], err));
    ice_buf_clear(&pw->prev);
    ICE_TRY(ice_buf_append(&pw->prev, pw->enc.data, pw->enc.len, err));
    if (pw->target[r] != pw->target[0]) one = false;
  }
  ICE_TRY(grow_scratch(pw, n, err)); /* slots may have been added */
  if (one) return write_to(pw, pw->target[0], batch, err);
  size_t nt = pw->n_slots + pw->n_runs;
  memset(pw->count, 0, nt * sizeof *pw->count);
  for (int64_t r = 0; r < n; r++) pw->count[target_index(pw, pw->target[r])]++;
  int64_t at = 0;
  for (size_t t = 0; t < nt; t++) {
    pw->start[t] = at;
    at += pw->count[t];
  }
  for (int64_t r = 0; r < n; r++)
    pw->idx[pw->start[target_index(pw, pw->target[r])]++] = r;
  bool parallel = false, first_spill = false;
  ICE_TRY(ready_groups(pw, &parallel, &first_spill, err));
  if (parallel) {
    ICE_TRY(write_groups(pw, batch, err));
    /* As on the serial path: once the first spilled rows are in their run. */
    if (first_spill) ice_killpoint("partition-spilling");
    return ICE_OK;
  }
  at = 0;
  for (size_t t = 0; t < nt; t++) {
    int64_t c = pw->count[t];
    if (c == 0) continue;
    int32_t tg = t < pw->n_slots ? (int32_t)t : -1 - (int32_t)(t - pw->n_slots);
    struct ArrowArray part = {0};
    int rc = arrow_array_take(pw->cfg.schema, batch, pw->idx + at, c, &part, err);
    if (rc == ICE_OK) rc = write_to(pw, tg, &part, err);
    arrow_array_release(&part);
    ICE_TRY(rc);
    at += c;
  }
  return ICE_OK;
}

int op_part_writer_write(struct op_part_writer *pw, const struct ArrowArray *batch,
                         struct ice_error *err) {
  if (pw->failed) ICE_FAIL(err, ICE_EINVAL, "partition router failed earlier");
  int rc = route(pw, batch, err);
  if (rc != ICE_OK) pw->failed = true;
  return rc;
}

/* ------------------------------------------------------------ close */

static void delete_run_files(struct op_part_writer *pw, struct spill_run *r) {
  struct ice_error ignored;
  for (size_t i = 0; i < r->files.n; i++)
    (void)io_fileio_delete(pw->spill->io, r->files.items[i], &ignored);
  io_str_list_reset(&r->files);
}

/* Routes run r's rows with a router one level down, then deletes its files. */
static int route_run(struct op_part_writer *pw, struct spill_run *r,
                     struct ice_error *err) {
  struct op_part_writer *child = NULL;
  ICE_TRY(new_router(&pw->cfg, pw->level + 1, pw->spill, pw->file_index,
                     pw->wo.parquet.shared_codec, pw->th, &child, err));
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < r->files.n; i++) {
    struct op_input in;
    rc = op_input_open_file(&in, r->files.items[i], pw->cfg.schema, pw->cfg.batch_rows,
                            pw->cfg.budget, 1, err);
    while (rc == ICE_OK) {
      struct ArrowArray b = {0};
      bool eof = false;
      rc = op_input_next(&in, &b, &eof, err);
      if (rc != ICE_OK || eof) break;
      rc = route(child, &b, err);
      arrow_array_release(&b);
    }
    op_input_close(&in);
  }
  if (rc == ICE_OK) rc = op_part_writer_close(child, err);
  if (rc == ICE_OK) {
    pw->stats.partitions += child->stats.partitions;
    pw->stats.spilled_rows += child->stats.spilled_rows;
    pw->stats.spilled_bytes += child->stats.spilled_bytes;
    int32_t lv = child->stats.levels + 1;
    if (lv > pw->stats.levels) pw->stats.levels = lv;
  }
  op_part_writer_free(child);
  delete_run_files(pw, r);
  return rc;
}

int op_part_writer_close(struct op_part_writer *pw, struct ice_error *err) {
  if (pw->failed) ICE_FAIL(err, ICE_EINVAL, "partition router failed earlier");
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < pw->n_slots; i++)
    rc = slot_close_writer(pw, pw->slots[i], err);
  for (size_t i = 0; rc == ICE_OK && i < pw->n_runs; i++) {
    struct spill_run *r = &pw->runs[i];
    if (r->w == NULL) continue;
    rc = wr_data_writer_close(r->w, err);
    wr_data_writer_free(r->w);
    r->w = NULL;
  }
  /* Partition writers and run writers are gone: the budget is free for the next
   * level, one run at a time. */
  for (size_t i = 0; rc == ICE_OK && i < pw->n_runs; i++)
    if (pw->runs[i].files.n > 0) rc = route_run(pw, &pw->runs[i], err);
  if (rc != ICE_OK) pw->failed = true;
  return rc;
}

void op_part_writer_free(struct op_part_writer *pw) {
  if (pw == NULL) return;
  for (size_t i = 0; i < pw->n_slots; i++) slot_free(pw->slots[i]);
  ice_free(pw->slots);
  for (size_t i = 0; pw->runs != NULL && i < pw->n_runs; i++) {
    wr_data_writer_free(pw->runs[i].w);
    if (pw->spill != NULL) delete_run_files(pw, &pw->runs[i]);
    io_str_list_reset(&pw->runs[i].files);
  }
  ice_free(pw->runs);
  if (pw->owns_spill) {
    op_spill_close(pw->spill);
    ice_free(pw->spill);
  }
  op_key_map_reset(&pw->map);
  ib_partition_key_reset(&pw->key);
  ice_buf_reset(&pw->enc);
  ice_buf_reset(&pw->val);
  ice_buf_reset(&pw->prev);
  ice_free(pw->target);
  ice_free(pw->idx);
  ice_free(pw->count);
  ice_free(pw->start);
  ice_free(pw->groups);
  if (pw->owns_th) threads_free(pw->th);
  codec_ctx_reset(&pw->own_codec); /* after every writer that borrowed it */
  ice_mem_release(pw->cfg.budget, pw->held);
  ice_free(pw);
}

void op_part_writer_get_stats(const struct op_part_writer *pw,
                              struct op_part_writer_stats *out) {
  *out = pw->stats;
}
