/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FileIO: the one way table files (data files, manifests, manifest lists, metadata
 * JSON, creation markers) are read, written, deleted and listed. A location is first
 * rewritten by the location map (PREFIX=DIR entries: a table copied from an object
 * store read and written in a local folder), then its scheme picks the storage:
 * `file:` URIs and plain absolute paths are local files; `s3:`, `s3a:` (and `s3n:`)
 * are objects of an S3-compatible store (io_s3.h), set up by the storage properties;
 * every other scheme is ICE_EUNSUPPORTED naming the scheme. Writes go only under the
 * write roots (the warehouse and every allowed location): this is the one place that
 * rule lives.
 *
 * Like Iceberg's FileIO (Java, iceberg-cpp), outputs are written strictly in order and
 * made complete by finish(): nothing seeks back, so S3 multipart upload fits behind it.
 * Not thread-safe: one FileIO per catalog handle.
 */
#ifndef ICE_IO_IO_FILEIO_H
#define ICE_IO_IO_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"
#include "util/error.h"

/* A growable list of owned strings. */
struct io_str_list {
  char **items;
  size_t n, cap;
};
int io_str_list_push(struct io_str_list *l, const char *s,
                     struct ice_error *err) ICE_NODISCARD;
void io_str_list_reset(struct io_str_list *l);

struct io_fileio;

/* A FileIO with no location map and no write roots (nothing may be written). */
int io_fileio_new(struct io_fileio **out, struct ice_error *err) ICE_NODISCARD;
void io_fileio_free(struct io_fileio *f); /* NULL is fine */

/* Adds the location-map entry "PREFIX=DIR" (DIR absolute). Locations starting with
 * PREFIX are read and written at DIR + the rest, literally; the first matching entry
 * wins. ICE_EINVAL naming `source` (the option or variable it came from) when the entry
 * is not PREFIX=DIR with a non-empty PREFIX and an absolute DIR. */
int io_fileio_add_map(struct io_fileio *f, const char *entry, const char *source,
                      struct ice_error *err) ICE_NODISCARD;
/* Checks an entry as io_fileio_add_map does, adding nothing. */
int io_fileio_check_map(const char *entry, const char *source,
                        struct ice_error *err) ICE_NODISCARD;
/* Adds every ';'-separated entry of `list` (empty entries skipped), as the
 * ICESTREAM_LOCATION_MAP variable spells them. */
int io_fileio_add_map_list(struct io_fileio *f, const char *list, const char *source,
                           struct ice_error *err) ICE_NODISCARD;
/* Number of map entries (0 = no map). */
size_t io_fileio_map_size(const struct io_fileio *f);

/* Whether `key` is a storage property (s3.endpoint, s3.region, client.region,
 * s3.access-key-id, s3.secret-access-key, s3.session-token, s3.path-style-access,
 * s3.multipart.part-size, s3.max-attempts). */
bool io_fileio_is_storage_property(const char *key);
/* Sets a storage property before the first request (io_s3_config_set: ICE_EINVAL
 * naming the key, never a secret's value). What properties leave unset is taken from
 * the AWS_* environment variables at the first S3 request. */
int io_fileio_set_storage_property(struct io_fileio *f, const char *key,
                                   const char *value, struct ice_error *err) ICE_NODISCARD;

/* Whether S3 requests have begun (storage properties can no longer be set). */
bool io_fileio_storage_started(const struct io_fileio *f);

/* Allows writes under `prefix`: an absolute directory, a file: location, an s3:// or
 * s3a:// prefix (bucket, optional key prefix), or a directory relative to the current
 * one. ICE_EINVAL for an empty prefix or another scheme. */
int io_fileio_allow(struct io_fileio *f, const char *prefix,
                    struct ice_error *err) ICE_NODISCARD;

/* Normalised local path (owned) a location reaches after the map: what a write would
 * touch and what containment and overlap are judged on. An S3 location gives
 * "s3://bucket/key" (s3a: and s3n: written s3:, the key literal, no trailing '/'),
 * judged the same way. ICE_EUNSUPPORTED for a location on other storage. */
int io_fileio_local_path(const struct io_fileio *f, const char *location, char **out,
                         struct ice_error *err) ICE_NODISCARD;
/* Whether files under `location` may be written (it lies under a write root). *where
 * (owned, may be NULL) receives the normalised path judged. Errors as
 * io_fileio_local_path. */
int io_fileio_may_write(const struct io_fileio *f, const char *location, bool *yes,
                        char **where, struct ice_error *err) ICE_NODISCARD;

/* Opens location for positioned reads. ICE_ENOTFOUND when missing; messages name the
 * location (and the local file, when the map moved it). */
int io_fileio_open_input(const struct io_fileio *f, const char *location,
                         struct ice_input **in, struct ice_error *err) ICE_NODISCARD;

/* Creates location exclusively for sequential writing (ICE_EEXISTS if present),
 * making missing folders. ICE_EAUTH naming the path when it is outside every write
 * root. `made` (may be NULL) receives the folders this call made, outermost first, for
 * io_fileio_remove_made_dirs after a failure; it holds storage-private names. */
int io_fileio_create(const struct io_fileio *f, const char *location,
                     struct io_str_list *made, struct ice_output **out,
                     struct ice_error *err) ICE_NODISCARD;

/* Bytes a file created at location holds in memory until it is complete, at most: the
 * S3 part size (s3.multipart.part-size) for an object, 0 for a local file (or a
 * location that does not resolve: its create fails). Writers that keep many files open
 * size themselves with it. */
int64_t io_fileio_output_hold(const struct io_fileio *f, const char *location);

/* Deletes location. A missing file is ICE_OK; ICE_EAUTH outside the write roots. */
int io_fileio_delete(const struct io_fileio *f, const char *location,
                     struct ice_error *err);
/* Removes the folders in `made` that are empty now, innermost first (best effort),
 * and empties the list. */
void io_fileio_remove_made_dirs(const struct io_fileio *f, struct io_str_list *made);

/* 1 when location names an existing file, 0 otherwise (missing or unreadable). */
int io_fileio_exists(const struct io_fileio *f, const char *location);

/* One listed file: its location (prefix + the rest), size, modification time. */
struct io_file_entry {
  const char *location; /* borrowed for the call */
  int64_t size;
  int64_t mtime_ms;
};
typedef int (*io_entry_fn)(void *user, const struct io_file_entry *e,
                           struct ice_error *err);

/* Calls fn for every file whose location starts with `prefix`, as an object store
 * lists keys: "<dir>/" lists that folder, "<dir>/ab" the names in it starting with
 * "ab"; with `recursive` files in sub-folders too (else only direct children, like a
 * '/' delimiter). Nothing there is no files. Order is unspecified. A non-OK return
 * from fn stops the listing and is returned. */
int io_fileio_list(const struct io_fileio *f, const char *prefix, bool recursive,
                   io_entry_fn fn, void *user, struct ice_error *err) ICE_NODISCARD;

#endif
