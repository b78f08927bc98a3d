/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal storage interfaces. An input file supports positioned reads (Parquet
 * readers seek to the footer and to each column chunk); an output file receives bytes
 * strictly in order and is told when it is complete — nothing seeks back, so S3
 * multipart upload fits behind the same interface.
 */
#ifndef ICE_IO_H
#define ICE_IO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/mem_budget.h"

struct ice_input;
struct ice_input_vtable {
  /* Reads exactly n bytes at offset off, or fails (short read = ICE_ECORRUPT/EIO). */
  int (*read_at)(struct ice_input *in, int64_t off, void *buf, size_t n,
                 struct ice_error *err);
  void (*close)(struct ice_input *in);
  /* read_at may run on several threads at once (pread, memory). When false, a reader
   * that decodes columns in parallel serialises its reads (io_locked_input). */
  bool concurrent_reads;
};

struct ice_input {
  const struct ice_input_vtable *vt;
  int64_t size; /* total bytes */
  char *name;   /* path or URI, for messages (owned) */
  void *priv;
};

struct ice_output;
struct ice_output_vtable {
  int (*write)(struct ice_output *out, const void *buf, size_t n, struct ice_error *err);
  /* Makes the file durable and complete. After success the file exists in full. */
  int (*finish)(struct ice_output *out, struct ice_error *err);
  /* Abandons the file: removes anything partially written. */
  void (*abort)(struct ice_output *out);
  void (*close)(struct ice_output *out);
};

struct ice_output {
  const struct ice_output_vtable *vt;
  int64_t written; /* bytes accepted so far */
  char *name;      /* owned */
  void *priv;
};

/* Local files. */
int io_local_open_read(const char *path, struct ice_input **out,
                       struct ice_error *err) ICE_NODISCARD;
/* The same, the input named `name` (a location) in messages and in->name. */
int io_local_open_read_as(const char *path, const char *name, struct ice_input **out,
                          struct ice_error *err) ICE_NODISCARD;
/* Creates path exclusively (fails with ICE_EEXISTS if present); parent dirs created.
 * Writes smaller than IO_LOCAL_BUFFER_BYTES collect in a buffer of that size, made at
 * the first such write; larger ones go straight to the file. */
#define IO_LOCAL_BUFFER_BYTES ((size_t)64 * 1024)
int io_local_create(const char *path, struct ice_output **out,
                    struct ice_error *err) ICE_NODISCARD;

/* Like io_local_create; `created` (may be NULL) is told of each parent directory this
 * call made, outermost first, so a caller can remove them again after a failure. The
 * write buffer is charged to `budget` (may be NULL) while it exists (until finish,
 * abort or close); when the budget has no room for it the file is written unbuffered,
 * which is slower but the same bytes. */
typedef int (*io_dir_created_fn)(void *user, const char *dir, struct ice_error *err);
int io_local_create_noting(const char *path, io_dir_created_fn created, void *user,
                           struct ice_mem_budget *budget, struct ice_output **out,
                           struct ice_error *err) ICE_NODISCARD;
/* Best-effort removal of a directory, only when it is empty. */
void io_local_remove_empty_dir(const char *path);
/* Deletes a file: ICE_OK when it is gone (or was never there), ICE_EIO naming it. */
int io_local_delete(const char *path, struct ice_error *err);

/* 1 when path names an existing regular file, else 0. */
int io_local_file_exists(const char *path);

/* Calls fn(user, path, size, mtime_ms) for every regular file whose path starts with
 * `prefix` (an absolute path; "<dir>/" is a folder's files, "<dir>/ab" those of its
 * names starting with "ab"); `recursive` descends into matching sub-folders (symbolic
 * links to folders are not followed). A missing folder has no files. */
typedef int (*io_path_fn)(void *user, const char *path, int64_t size, int64_t mtime_ms,
                          struct ice_error *err);
int io_local_list(const char *prefix, bool recursive, io_path_fn fn, void *user,
                  struct ice_error *err) ICE_NODISCARD;

/* In-memory input over a caller-owned buffer (fuzzing, tests). The buffer must outlive
 * the input. */
int io_memory_open_read(const void *data, size_t len, const char *name,
                        struct ice_input **out, struct ice_error *err) ICE_NODISCARD;

/* A view of `inner` (borrowed) whose reads take a mutex, so threads may share an input
 * whose read_at is not thread-safe (an S3 object: one HTTP client per FileIO). Closing
 * the view does nothing; io_locked_input_destroy frees the mutex. */
struct io_locked_input {
  struct ice_input base; /* hand &base to the readers */
  struct ice_input *inner;
  pthread_mutex_t mu;
  bool live; /* mu initialised */
};
int io_locked_input_init(struct io_locked_input *l, struct ice_input *inner,
                         struct ice_error *err) ICE_NODISCARD;
void io_locked_input_destroy(struct io_locked_input *l); /* zeroed is fine */

/* Wrappers (NULL-safe). */
static inline int ice_input_read_at(struct ice_input *in, int64_t off, void *buf,
                                    size_t n, struct ice_error *err) {
  return in->vt->read_at(in, off, buf, n, err);
}
static inline void ice_input_close(struct ice_input *in) {
  if (in != NULL) in->vt->close(in);
}
static inline int ice_output_write(struct ice_output *o, const void *buf, size_t n,
                                   struct ice_error *err) {
  return o->vt->write(o, buf, n, err);
}
static inline int ice_output_finish(struct ice_output *o, struct ice_error *err) {
  return o->vt->finish(o, err);
}
static inline void ice_output_abort(struct ice_output *o) {
  if (o != NULL) o->vt->abort(o);
}
static inline void ice_output_close(struct ice_output *o) {
  if (o != NULL) o->vt->close(o);
}

/* Creates every missing directory of path's parent (mkdir -p of dirname). */
int io_local_mkdirs_for(const char *path, struct ice_error *err) ICE_NODISCARD;

#endif
