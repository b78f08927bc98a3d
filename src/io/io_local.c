/* SPDX-License-Identifier: Apache-2.0 */
/* Local-file storage: pread for inputs, buffered sequential writes for outputs. The
 * write buffer is small (a partitioned load keeps dozens of files open) and charged to
 * the job's budget; the writers above hand over whole pages, which bypass it. */
#include <errno.h>
#include <fcntl.h>
#ifdef ICE_TEST_HOOKS
#include <stdatomic.h>
#include <stdlib.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "util/alloc.h"

struct local_in {
  int fd;
};

static int local_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                         struct ice_error *err) {
  struct local_in *li = in->priv;
  if (off < 0 || (int64_t)n > in->size || off > in->size - (int64_t)n) {
    return ice_error_set(
        err, ICE_ECORRUPT,
        "%s: read of %zu bytes at offset %lld is beyond the end (%lld bytes)", in->name,
        n, (long long)off, (long long)in->size);
  }
  uint8_t *p = buf;
  while (n > 0) {
    ssize_t r = pread(li->fd, p, n, (off_t)off);
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ice_error_set(err, ICE_EIO, "%s: read failed: %s", in->name, strerror(e));
      if (err) err->detail = e;
      return ICE_EIO;
    }
    if (r == 0) {
      return ice_error_set(err, ICE_EIO, "%s: unexpected end of file", in->name);
    }
    p += r;
    n -= (size_t)r;
    off += r;
  }
  return ICE_OK;
}

static void local_in_close(struct ice_input *in) {
  struct local_in *li = in->priv;
  if (li->fd >= 0) close(li->fd);
  ice_free(in->name);
  ice_free(in);
}

static const struct ice_input_vtable local_in_vt = {local_read_at, local_in_close, true};

int io_local_open_read(const char *path, struct ice_input **out, struct ice_error *err) {
  return io_local_open_read_as(path, path, out, err);
}

int io_local_open_read_as(const char *path, const char *name, struct ice_input **out,
                          struct ice_error *err) {
  /* A file found through the location map is named by its location and its path;
   * a file: URI already names its path. */
  int both = strstr(name, path) == NULL;
  const char *pre = both ? " (local file " : "", *post = both ? ")" : "";
  const char *shown = both ? path : "";
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    int code = (e == ENOENT) ? ICE_ENOTFOUND : ICE_EIO;
    ice_error_set(err, code, "%s: cannot open: %s%s%s%s", name, strerror(e), pre, shown,
                  post);
    if (err) err->detail = e;
    return code;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return ice_error_set(err, ICE_EIO, "%s: not a regular file%s%s%s", name, pre, shown,
                         post);
  }
  struct ice_input *in = ice_calloc(1, sizeof *in + sizeof(struct local_in));
  char *copy = ice_strdup(name);
  if (in == NULL || copy == NULL) {
    ice_free(in);
    ice_free(copy);
    close(fd);
    return ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  struct local_in *li = (struct local_in *)(in + 1);
  li->fd = fd;
  in->vt = &local_in_vt;
  in->size = (int64_t)st.st_size;
  in->name = copy;
  in->priv = li;
  *out = in;
  return ICE_OK;
}

struct local_out {
  int fd;
  int finished;
  uint8_t *buf; /* IO_LOCAL_BUFFER_BYTES, NULL until a small write (or when refused) */
  size_t used;
  struct ice_mem_budget *budget; /* charged with the buffer while it exists */
};

#ifdef ICE_TEST_HOOKS
/* ICESTREAM_TEST_FAIL_WRITE=<n>: the nth write to a local output file (counted over
 * the whole process, from 1, whichever thread makes it) fails as a full disk would, so
 * a test can break a load at any point of its output. Tests only. */
static _Atomic long g_writes_seen;

static int injected_write_failure(void) {
  const char *v = getenv("ICESTREAM_TEST_FAIL_WRITE");
  if (v == NULL) return 0;
  long n = strtol(v, NULL, 10);
  return n > 0 && atomic_fetch_add(&g_writes_seen, 1) + 1 == n;
}
#endif

static int write_all(struct ice_output *o, const uint8_t *p, size_t n,
                     struct ice_error *err) {
  struct local_out *lo = o->priv;
  while (n > 0) {
#ifdef ICE_TEST_HOOKS
    ssize_t w = injected_write_failure() ? (errno = ENOSPC, -1) : write(lo->fd, p, n);
#else
    ssize_t w = write(lo->fd, p, n);
#endif
    if (w < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ice_error_set(err, ICE_EIO, "%s: write failed: %s", o->name, strerror(e));
      if (err) err->detail = e;
      return ICE_EIO;
    }
    p += w;
    n -= (size_t)w;
  }
  return ICE_OK;
}

static int flush_buffer(struct ice_output *o, struct ice_error *err) {
  struct local_out *lo = o->priv;
  if (lo->used == 0) return ICE_OK;
  ICE_TRY(write_all(o, lo->buf, lo->used, err));
  lo->used = 0;
  return ICE_OK;
}

/* The buffer, when the budget has room for it; a full budget is no error (the file is
 * then written unbuffered), and it is asked again at the next small write. */
static int get_buffer(struct local_out *lo, struct ice_error *err) {
  if (lo->buf != NULL) return ICE_OK;
  if (ice_mem_charge(lo->budget, (int64_t)IO_LOCAL_BUFFER_BYTES, NULL) != ICE_OK)
    return ICE_OK;
  lo->buf = ice_malloc(IO_LOCAL_BUFFER_BYTES);
  if (lo->buf == NULL) {
    ice_mem_release(lo->budget, (int64_t)IO_LOCAL_BUFFER_BYTES);
    return ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

static void drop_buffer(struct local_out *lo) {
  if (lo->buf == NULL) return;
  ice_free(lo->buf);
  lo->buf = NULL;
  lo->used = 0;
  ice_mem_release(lo->budget, (int64_t)IO_LOCAL_BUFFER_BYTES);
}

static int local_write(struct ice_output *o, const void *buf, size_t n,
                       struct ice_error *err) {
  struct local_out *lo = o->priv;
  const uint8_t *p = buf;
  o->written += (int64_t)n;
  /* A write the buffer would only copy goes to the file at once, in order. */
  if (n >= IO_LOCAL_BUFFER_BYTES) {
    ICE_TRY(flush_buffer(o, err));
    return write_all(o, p, n, err);
  }
  ICE_TRY(get_buffer(lo, err));
  if (lo->buf == NULL) return write_all(o, p, n, err);
  while (n > 0) {
    size_t room = IO_LOCAL_BUFFER_BYTES - lo->used;
    if (room == 0) {
      ICE_TRY(flush_buffer(o, err));
      continue;
    }
    size_t k = n < room ? n : room;
    memcpy(lo->buf + lo->used, p, k);
    lo->used += k;
    p += k;
    n -= k;
  }
  return ICE_OK;
}

static int local_finish(struct ice_output *o, struct ice_error *err) {
  struct local_out *lo = o->priv;
  ICE_TRY(flush_buffer(o, err));
  drop_buffer(lo); /* complete: the budget gets it back before close */
  if (fsync(lo->fd) != 0) {
    int e = errno;
    return ice_error_set(err, ICE_EIO, "%s: fsync failed: %s", o->name, strerror(e));
  }
  lo->finished = 1;
  return ICE_OK;
}

static void local_abort(struct ice_output *o) {
  struct local_out *lo = o->priv;
  if (lo->fd >= 0) {
    close(lo->fd);
    lo->fd = -1;
  }
  unlink(o->name);
  drop_buffer(lo);
  lo->finished = 1; /* nothing left to clean */
}

static void local_out_close(struct ice_output *o) {
  struct local_out *lo = o->priv;
  if (lo->fd >= 0) close(lo->fd);
  /* An output closed without finish is incomplete: never leave a torn file behind. */
  if (!lo->finished) unlink(o->name);
  drop_buffer(lo);
  ice_free(o->name);
  ice_free(o);
}

static const struct ice_output_vtable local_out_vt = {local_write, local_finish,
                                                      local_abort, local_out_close};

static int mkdirs_noting(const char *path, io_dir_created_fn created, void *user,
                         struct ice_error *err) {
  size_t n = strlen(path);
  char *tmp = ice_strndup(path, n);
  if (tmp == NULL) return ice_error_set(err, ICE_ENOMEM, "out of memory");
  char *slash = strrchr(tmp, '/');
  if (slash == NULL || slash == tmp) {
    ice_free(tmp);
    return ICE_OK;
  }
  *slash = '\0';
  int rc = ICE_OK;
  for (char *p = tmp + 1; rc == ICE_OK; p++) {
    if (*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if (mkdir(tmp, 0777) == 0) {
        if (created != NULL) rc = created(user, tmp, err);
      } else if (errno != EEXIST) {
        int e = errno;
        rc = ice_error_set(err, ICE_EIO, "%s: cannot create directory: %s", tmp,
                           strerror(e));
        if (err != NULL) err->detail = e;
      }
      *p = c;
      if (c == '\0') break;
    }
  }
  ice_free(tmp);
  return rc;
}

int io_local_mkdirs_for(const char *path, struct ice_error *err) {
  return mkdirs_noting(path, NULL, NULL, err);
}

int io_local_delete(const char *path, struct ice_error *err) {
  if (unlink(path) == 0 || errno == ENOENT) return ICE_OK;
  int e = errno;
  int rc = ice_error_set(err, ICE_EIO, "%s: cannot delete: %s", path, strerror(e));
  if (err != NULL) err->detail = e;
  return rc;
}

void io_local_remove_empty_dir(const char *path) {
  (void)rmdir(path); /* fails, as intended, when something else lives there */
}

int io_local_create(const char *path, struct ice_output **out, struct ice_error *err) {
  return io_local_create_noting(path, NULL, NULL, NULL, out, err);
}

int io_local_create_noting(const char *path, io_dir_created_fn created, void *user,
                           struct ice_mem_budget *budget, struct ice_output **out,
                           struct ice_error *err) {
  ICE_TRY(mkdirs_noting(path, created, user, err));
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    int code = (e == EEXIST) ? ICE_EEXISTS : ICE_EIO;
    ice_error_set(err, code, "%s: cannot create: %s", path, strerror(e));
    if (err) err->detail = e;
    return code;
  }
  struct ice_output *o = ice_calloc(1, sizeof *o + sizeof(struct local_out));
  char *name = ice_strdup(path);
  if (o == NULL || name == NULL) {
    ice_free(o);
    ice_free(name);
    close(fd);
    unlink(path);
    return ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  struct local_out *lo = (struct local_out *)(o + 1);
  lo->fd = fd;
  lo->budget = budget;
  o->vt = &local_out_vt;
  o->name = name;
  o->priv = lo;
  *out = o;
  return ICE_OK;
}
