/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spill files (op_spill.h). A record is a u32 key length, the key, then the payload.
 * The folder is named icestream-spill-<pid>-<random>, so a later process can tell a
 * folder whose owner is gone (kill(pid, 0) fails with ESRCH) and remove it.
 */
#include "ops/op_spill.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iceberg/ib_location.h"
#include "util/alloc.h"
#include "util/hash.h"

#define SPILL_PREFIX "icestream-spill-"
#define READ_CHUNK (1u << 20)

size_t op_spill_part_of(const uint8_t *key, size_t len, size_t n_parts) {
  uint64_t h = ice_hash_bytes(key, len);
  return (size_t)(h >> 40) & (n_parts - 1);
}

static const char *tmp_root(void) {
  const char *t = getenv("TMPDIR");
  return t != NULL && t[0] == '/' ? t : "/tmp";
}

/* A stale file: under a spill folder whose process no longer exists. */
static int remove_stale(void *user, const struct io_file_entry *e,
                        struct ice_error *err) {
  (void)err;
  struct io_fileio *io = user;
  const char *p = strstr(e->location, SPILL_PREFIX);
  if (p == NULL) return ICE_OK;
  long pid = strtol(p + strlen(SPILL_PREFIX), NULL, 10);
  if (pid <= 0 || pid == (long)getpid()) return ICE_OK;
  if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) return ICE_OK;
  struct ice_error ignored;
  (void)io_fileio_delete(io, e->location, &ignored);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", e->location);
  char *slash = strrchr(dir, '/');
  if (slash != NULL) {
    *slash = '\0';
    struct io_str_list made = {0};
    if (io_str_list_push(&made, dir, &ignored) == ICE_OK)
      io_fileio_remove_made_dirs(io, &made);
    io_str_list_reset(&made);
  }
  return ICE_OK;
}

static int make_io(struct op_spill *s, struct ice_error *err) {
  ICE_TRY(io_fileio_new(&s->io, err));
  char root[4096];
  snprintf(root, sizeof root, "%s/", tmp_root());
  ICE_TRY(io_fileio_allow(s->io, root, err));
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s%s", root, SPILL_PREFIX);
  /* Best effort: a folder that cannot be listed or removed is not this load's. */
  struct ice_error ignored;
  if (io_fileio_list(s->io, prefix, true, remove_stale, s->io, &ignored) != ICE_OK)
    return ICE_OK;
  return ICE_OK;
}

int op_spill_open(struct op_spill *s, size_t n_parts, size_t payload_size,
                  struct ice_mem_budget *budget, struct ice_error *err) {
  memset(s, 0, sizeof *s);
  s->budget = budget;
  ice_mem_budget_init(&s->no_room, 0);
  s->n_parts = n_parts;
  s->payload_size = payload_size;
  int rc = make_io(s, err);
  char uuid[IB_UUID_STR_LEN];
  if (rc == ICE_OK) rc = ib_uuid4(uuid, err);
  char dir[4200];
  snprintf(dir, sizeof dir, "%s/%s%ld-%.8s", tmp_root(), SPILL_PREFIX, (long)getpid(),
           rc == ICE_OK ? uuid : "x");
  s->dir = ice_strdup(dir);
  size_t slots = n_parts ? n_parts : 1; /* 0 parts: a folder for named files only */
  s->out = ice_calloc(slots, sizeof *s->out);
  s->bufs = ice_calloc(slots, sizeof *s->bufs);
  s->paths = ice_calloc(slots, sizeof *s->paths);
  if (rc == ICE_OK &&
      (s->dir == NULL || s->out == NULL || s->bufs == NULL || s->paths == NULL))
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  /* Buffers share a sixteenth of what is left, at most 64 KiB each. */
  int64_t avail = budget ? ice_mem_available(budget) : (int64_t)1 << 30;
  size_t per = (size_t)(avail / 16 / (int64_t)(n_parts ? n_parts : 1));
  s->buf_size = per > 65536 ? 65536 : per < 4096 ? 4096 : per;
  for (size_t i = 0; rc == ICE_OK && i < n_parts; i++) {
    ice_buf_init(&s->bufs[i], (size_t)INT64_MAX);
    ice_buf_set_budget(&s->bufs[i], budget);
    char path[4300];
    snprintf(path, sizeof path, "%s/part-%05zu", s->dir, i);
    s->paths[i] = ice_strdup(path);
    if (s->paths[i] == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
      break;
    }
    rc = io_fileio_create(s->io, path, NULL, &s->no_room, &s->out[i], err);
    if (rc == ICE_OK) rc = ice_buf_reserve(&s->bufs[i], s->buf_size, err);
  }
  if (rc != ICE_OK) {
    ice_error_prefix(err, "creating spill files under %s", tmp_root());
    op_spill_close(s);
  }
  return rc;
}

static int flush_part(struct op_spill *s, size_t i, struct ice_error *err) {
  struct ice_buf *b = &s->bufs[i];
  if (b->len == 0) return ICE_OK;
  ICE_TRY(s->out[i]->vt->write(s->out[i], b->data, b->len, err));
  s->bytes += (int64_t)b->len;
  ice_buf_clear(b);
  return ICE_OK;
}

int op_spill_put(struct op_spill *s, const uint8_t *key, size_t len, const void *payload,
                 struct ice_error *err) {
  if (len > UINT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "a key exceeds 4 GiB");
  size_t i = op_spill_part_of(key, len, s->n_parts);
  struct ice_buf *b = &s->bufs[i];
  size_t need = sizeof(uint32_t) + len + s->payload_size;
  if (b->len + need > s->buf_size) ICE_TRY(flush_part(s, i, err));
  uint32_t l32 = (uint32_t)len;
  ICE_TRY(ice_buf_append(b, &l32, sizeof l32, err));
  if (len) ICE_TRY(ice_buf_append(b, key, len, err));
  ICE_TRY(ice_buf_append(b, payload, s->payload_size, err));
  s->records++;
  return ICE_OK;
}

int op_spill_finish(struct op_spill *s, struct ice_error *err) {
  for (size_t i = 0; i < s->n_parts; i++) {
    if (s->out[i] == NULL) continue;
    ICE_TRY(flush_part(s, i, err));
    ICE_TRY(s->out[i]->vt->finish(s->out[i], err));
    ice_output_close(s->out[i]);
    s->out[i] = NULL;
    ice_buf_reset(&s->bufs[i]);
  }
  return ICE_OK;
}

int op_spill_parse(size_t payload_size, const uint8_t *p, size_t n, size_t *used,
                   op_spill_record_fn fn, void *ctx, struct ice_error *err) {
  size_t at = 0;
  *used = 0;
  while (n - at >= sizeof(uint32_t)) {
    uint32_t len;
    memcpy(&len, p + at, sizeof len);
    /* In size_t: a length near 4 GiB must not wrap the record size. */
    size_t left = n - at - sizeof len;
    if ((size_t)len > left || payload_size > left - (size_t)len) break;
    ICE_TRY(fn(ctx, p + at + sizeof len, len, p + at + sizeof len + len, err));
    at += sizeof len + (size_t)len + payload_size;
    *used = at;
  }
  return ICE_OK;
}

int op_spill_read(const struct op_spill *s, size_t part, op_spill_record_fn fn, void *ctx,
                  struct ice_error *err) {
  struct ice_input *in = NULL;
  ICE_TRY(io_fileio_open_input(s->io, s->paths[part], &in, err));
  struct ice_buf b;
  ice_buf_init(&b, (size_t)INT64_MAX);
  int rc = ICE_OK;
  int64_t off = 0;
  while (rc == ICE_OK && off < in->size) {
    size_t n = (size_t)(in->size - off < READ_CHUNK ? in->size - off : READ_CHUNK);
    size_t have = b.len;
    rc = ice_buf_resize(&b, have + n, err);
    if (rc == ICE_OK) rc = in->vt->read_at(in, off, b.data + have, n, err);
    off += (int64_t)n;
    size_t used = 0;
    if (rc == ICE_OK)
      rc = op_spill_parse(s->payload_size, b.data, b.len, &used, fn, ctx, err);
    if (rc == ICE_OK && used > 0) {
      memmove(b.data, b.data + used, b.len - used);
      b.len -= used;
    }
  }
  if (rc == ICE_OK && b.len != 0)
    rc = ice_error_set(err, ICE_ECORRUPT, "spill file %s ends inside a record",
                       s->paths[part]);
  ice_buf_reset(&b);
  ice_input_close(in);
  return rc;
}

int op_spill_create_file(struct op_spill *s, const char *name, struct ice_output **out,
                         char **path, struct ice_error *err) {
  char p[4400];
  snprintf(p, sizeof p, "%s/%s", s->dir, name);
  ICE_TRY(io_str_list_push(&s->extra, p, err));
  ICE_TRY(io_fileio_create(s->io, p, NULL, s->budget, out, err));
  *path = ice_strdup(p);
  if (*path == NULL) {
    ice_output_abort(*out);
    ice_output_close(*out);
    *out = NULL;
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

void op_spill_close(struct op_spill *s) {
  /* A spill whose FileIO could not be made still holds its arrays (and no files). */
  if (s->io == NULL && s->dir == NULL && s->out == NULL && s->bufs == NULL &&
      s->paths == NULL)
    return;
  struct ice_error ignored;
  for (size_t i = 0; i < s->extra.n; i++)
    (void)io_fileio_delete(s->io, s->extra.items[i], &ignored);
  io_str_list_reset(&s->extra);
  for (size_t i = 0; i < s->n_parts; i++) {
    if (s->out != NULL && s->out[i] != NULL) {
      ice_output_abort(s->out[i]);
      ice_output_close(s->out[i]);
    }
    if (s->paths != NULL && s->paths[i] != NULL) {
      /* Once more after a failure: a transient one (an allocation) must not leave
       * the folder behind; a lasting one leaves it to the next process's sweep. */
      if (io_fileio_delete(s->io, s->paths[i], &ignored) != ICE_OK)
        (void)io_fileio_delete(s->io, s->paths[i], &ignored);
      ice_free(s->paths[i]);
    }
    if (s->bufs != NULL) ice_buf_reset(&s->bufs[i]);
  }
  if (s->dir != NULL) {
    struct io_str_list made = {0};
    if (io_str_list_push(&made, s->dir, &ignored) == ICE_OK ||
        io_str_list_push(&made, s->dir, &ignored) == ICE_OK)
      io_fileio_remove_made_dirs(s->io, &made);
    io_str_list_reset(&made);
  }
  ice_free(s->out);
  ice_free(s->bufs);
  ice_free(s->paths);
  ice_free(s->dir);
  io_fileio_free(s->io);
  memset(s, 0, sizeof *s);
}
