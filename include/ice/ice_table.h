/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Public table API: load or create an Iceberg table through a catalog, inspect it
 * (schema, snapshots), read it back as an Arrow stream, and load data into it.
 *
 * Every write (append, replace, file load) is one catalog commit and one snapshot, all
 * or nothing: nothing is visible until the catalog pointer swap succeeds; on a lost race
 * the table is re-read and only the metadata and manifest list are rebuilt (data files
 * and new manifests are reused); data files of a load that failed for sure are deleted;
 * when the outcome is unknown (ICE_ECOMMIT_UNKNOWN) nothing is deleted.
 */
#ifndef ICE_TABLE_H
#define ICE_TABLE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_catalog.h"
#include "ice/ice_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A table as of one metadata version. Opaque; not thread-safe. Keeps a borrowed
 *  pointer to its catalog, which must outlive it. */
typedef struct ice_table ice_table;

/** Loads `ident` ("ns.table", "a.b.table"): reads the catalog row and parses the current
 *  metadata file. Errors: ICE_ENOTFOUND (no such table), ICE_EINVAL (bad identifier),
 *  ICE_ECORRUPT (metadata file malformed), ICE_EIO. */
ICE_API int ice_table_load(ice_catalog *cat, const char *ident, ice_table **out,
                           struct ice_error *err);

/** Opens a table from its metadata file alone, without a catalog (as DuckDB's
 *  iceberg_scan does): `metadata_location` is a *.metadata.json file as an absolute
 *  path, a file: URI, or a location the location map moves onto a local folder (every
 *  location inside the table is mapped the same way). `props` (NULL-terminated key,
 *  value, ..., NULL; may be NULL) takes "location-map" = "PREFIX=DIR" (repeatable), as
 *  ice_catalog_open does; without one, the ICESTREAM_LOCATION_MAP variable. The handle
 *  describes, lists snapshots and scans like a loaded one; its identifier is empty and
 *  writing to it is ICE_EINVAL. Errors: ICE_ENOTFOUND (no such file), ICE_ECORRUPT
 *  (malformed metadata), ICE_EINVAL (relative path, bad location map, another
 *  property), ICE_EIO. */
ICE_API int ice_table_load_metadata(const char *metadata_location,
                                    const char *const *props, ice_table **out,
                                    struct ice_error *err);

/** Creates an empty format-version-2 table whose schema is converted from `schema` (an
 *  Arrow struct schema, e.g. from ice_parquet_schema(); borrowed), with fresh field ids.
 *  `props` (NULL-terminated key, value, ..., NULL; may be NULL) become table properties;
 *  "format-version" ("2" or "3") is honoured and not stored. Missing namespaces are
 *  created. A location whose metadata folder already holds *.metadata.json files of a
 *  table the catalog does not know is refused with ICE_EEXISTS (the message names the
 *  folder and `icestream register`; see ice_catalog_register_table), as is a load that
 *  would create the table there. Errors: ICE_EEXISTS, ICE_ESCHEMA (a column type Iceberg
 *  cannot store; the message names the column and how to proceed), ICE_EINVAL, ICE_EIO,
 *  ICE_EAUTH (the location is outside the warehouse and every allowed root,
 *  ice_catalog.h). The first metadata file of a table being created is marked as such
 * until its catalog row is in, so an unfinished creation (killed, or running in another
 * process) never blocks this one. */
ICE_API int ice_table_create(ice_catalog *cat, const char *ident,
                             const struct ArrowSchema *schema, const char *const *props,
                             ice_table **out, struct ice_error *err);

/** As ice_table_create, partitioned by `partition_by` (NULL or blank: unpartitioned), a
 *  comma list of `col` or `identity(col)`, `bucket(N, col)`, `truncate(W, col)`,
 *  `year(col)`, `month(col)`, `day(col)`, `hour(col)`, `void(col)`, each optionally
 *  followed by `AS name` (default names as Java's: col, col_bucket, col_trunc, col_year,
 *  col_month, col_day, col_hour, col_null); nested columns by dotted path, names with
 *  special characters in backquotes (docs/partitioning.md). Partition field ids start
 *  at 1000. A spec that does not fit the schema (unknown column, a transform the
 *  column's type does not take, a name used twice, ...) is ICE_EINVAL naming the field
 *  at fault, and nothing is created. */
ICE_API int ice_table_create_partitioned(ice_catalog *cat, const char *ident,
                                         const struct ArrowSchema *schema,
                                         const char *partition_by,
                                         const char *const *props, ice_table **out,
                                         struct ice_error *err);

/** Changes the table's properties in one commit: `set` (NULL-terminated key, value,
 *  ..., NULL; may be NULL) are set, the keys in `remove` (NULL-terminated; may be NULL)
 *  removed (a key the table does not have is ignored). The reserved "format-version"
 *  can be neither; the properties as they would become are checked as at creation
 *  (write.*, commit.retry.*, write.manifest.compression-codec: ICE_EINVAL naming the
 *  property). A concurrent commit is retried on the new head (commit.retry.*). On
 *  success the handle holds the new metadata. Errors: ICE_EINVAL (also for a handle
 *  from ice_table_load_metadata), ICE_ECONFLICT, ICE_ECOMMIT_UNKNOWN, ICE_EIO. */
ICE_API int ice_table_update_properties(ice_table *tbl, const char *const *set,
                                        const char *const *remove, struct ice_error *err);

/** Partition evolution: makes `partition_by` (a spec as ice_table_create_partitioned
 *  takes it, bound to the current schema; "" = unpartitioned) the table's default
 *  partition spec in one commit (add-spec + set-default-spec, no new snapshot). Files
 *  already written keep their spec. New partition fields get ids after the table's
 *  last-partition-id; a field equal to one of an older spec (same column, transform
 *  and name) keeps its id, and a spec equal to an existing one is made the default
 *  instead of being added twice. When it already is the default nothing is committed
 *  and *changed (may be NULL) is 0, else 1. A concurrent commit is retried on the new
 *  head (commit.retry.*). On success the handle holds the new metadata. Errors:
 *  ICE_EINVAL (a spec that does not fit, naming the field at fault; a handle from
 *  ice_table_load_metadata), ICE_ECONFLICT, ICE_ECOMMIT_UNKNOWN, ICE_EIO. */
ICE_API int ice_table_update_partition_spec(ice_table *tbl, const char *partition_by,
                                            int *changed, struct ice_error *err);

/** One explicit schema change (ice_table_update_schema). Columns are named by Java's
 *  dotted full names ("a.b", "l.element.x", "m.value.y"). */
enum ice_schema_change_kind {
  ICE_SCHEMA_ADD_COLUMN = 1, /**< add `column` (optional) of primitive type `value` */
  ICE_SCHEMA_RENAME_COLUMN,  /**< rename `column` to `value` (within its struct) */
  ICE_SCHEMA_DROP_COLUMN,    /**< drop `column` and whatever is nested in it */
  ICE_SCHEMA_WIDEN_COLUMN    /**< widen `column` to type `value` */
};
struct ice_schema_change {
  enum ice_schema_change_kind kind;
  const char *column;
  const char *value; /**< an Iceberg type name ("long", "decimal(12,2)") or a name */
};

/** Explicit schema evolution: applies changes[0..n) in order to the current schema
 *  and commits the result in one metadata-only commit (add-schema +
 *  set-current-schema, no snapshot). Field ids never change, so files already written
 *  are read by id: a renamed column keeps its values, a dropped one is gone, an added
 *  one reads null. New columns get ids after last-column-id and are optional. When the
 *  result equals the current schema nothing is committed and *changed (may be NULL) is
 *  0. A concurrent commit is retried on the new head. Errors: ICE_EINVAL naming the
 *  column (not in the table, a name taken, not a primitive type, a change that is not
 *  int -> long / float -> double / decimal precision up, a map key changed, dropping
 *  an identifier field or a partition or sort source column; a handle from
 *  ice_table_load_metadata), ICE_ECONFLICT, ICE_ECOMMIT_UNKNOWN, ICE_EIO. */
ICE_API int ice_table_update_schema(ice_table *tbl,
                                    const struct ice_schema_change *changes, size_t n,
                                    int *changed, struct ice_error *err);

/** Frees the handle (no I/O). NULL is fine. */
ICE_API void ice_table_free(ice_table *tbl);

/** Current metadata file location (borrowed from the handle). */
ICE_API const char *ice_table_metadata_location(const ice_table *tbl);

/** Current snapshot id, or -1 when the table has no snapshot. */
ICE_API int64_t ice_table_current_snapshot_id(const ice_table *tbl);

/** Describes the table: identifier, location, format version, uuid, schema with field
 *  ids, partition specs (the default field by field, older ones on a line each; JSON:
 *  partition-spec, default-spec-id, last-partition-id, partition-specs), properties,
 *  current snapshot and its summary. `json` non-zero
 *  gives one JSON object, zero a human-readable text. *out is freed with
 *  ice_string_free() (ice_parquet.h). */
ICE_API int ice_table_describe(const ice_table *tbl, int json, char **out,
                               struct ice_error *err);

/** Lists the snapshots (id, parent, sequence number, timestamp, operation, summary),
 *  oldest first; `json` non-zero gives a JSON array. */
ICE_API int ice_table_snapshots(const ice_table *tbl, int json, char **out,
                                struct ice_error *err);

/** Scan options; initialise with ice_scan_options_init(). Pointers are borrowed for the
 *  duration of ice_table_scan(). */
struct ice_scan_options {
  int64_t snapshot_id;        /**< -1 = current snapshot */
  const char *const *columns; /**< projection by column name (a name given twice is
                                   projected once, at its first place); NULL = all */
  size_t n_columns;
  int64_t batch_rows;   /**< rows per batch; <= 0 = reader default */
  int64_t memory_limit; /**< bytes the scan may buffer (reader pages and batches,
                             delete positions, equality delete keys); <= 0 =
                             256 MiB */
  int threads;          /**< threads that decode each data file's columns: 0 = one per
                             online CPU, 1 (default) = all on the calling thread, at
                             most ICE_SCAN_MAX_THREADS (ICE_EINVAL beyond). The same
                             rows in the same order whatever the number; the memory
                             limit covers every thread's buffers */
};
/** The most ice_scan_options.threads can ask for. */
#define ICE_SCAN_MAX_THREADS 256
ICE_API void ice_scan_options_init(struct ice_scan_options *opts);

/** Reads the table back: exactly the live rows of the snapshot. Every live data file
 *  is read with the delete files that apply to it (Iceberg v2 position deletes and
 *  equality deletes, by data sequence number and partition); columns are matched by
 *  Iceberg field id (renamed columns are found), columns missing from an older file
 *  read as null. `out` receives a stream of struct batches in table-schema order; the
 *  caller releases it. The table handle must outlive the stream. Errors here:
 *  ICE_ENOTFOUND (unknown snapshot or column, missing manifest), ICE_ECORRUPT
 *  (malformed manifest list or manifest), ICE_EIO, ICE_EUNSUPPORTED (v3 deletion
 *  vectors). Errors while reading rows come from get_next (errno-style, as the Arrow
 *  stream protocol requires) with get_last_error naming the file; ice_scan_error_code
 *  gives their enum ice_code (ICE_ECORRUPT for a corrupt data or delete file,
 *  ICE_ELIMIT when the deletes of one data file do not fit the memory limit). */
ICE_API int ice_table_scan(ice_table *tbl, const struct ice_scan_options *opts,
                           struct ArrowArrayStream *out, struct ice_error *err);

/** The enum ice_code of the last get_next failure of a stream from ice_table_scan
 *  (ICE_EIO for any other stream). */
ICE_API int ice_scan_error_code(const struct ArrowArrayStream *stream);

/** How far a load may change the table schema (docs/schema-evolution.md). Columns are
 *  matched by name (case-sensitive); table columns the input lacks read as null. */
enum ice_schema_evolution {
  /** Input columns the table lacks are added (optional, fresh field ids, nested fields
   *  too) and int -> long, float -> double, decimal precision up are applied to the
   *  table, in the same commit as the data. A required table column the input lacks
   *  or declares optional, or a new column declared required, is ICE_ESCHEMA. */
  ICE_SCHEMA_EVOLUTION_ADD = 0,
  /** As ADD, and such required columns become optional (new ones are added as
   *  optional). Identifier fields always stay required. */
  ICE_SCHEMA_EVOLUTION_RELAX = 1,
  /** The table schema does not change: any of the above is ICE_ESCHEMA naming the
   *  column. Narrower input (int into long) is still written. */
  ICE_SCHEMA_EVOLUTION_STRICT = 2
};

/** Write modes. */
enum ice_write_mode {
  ICE_MODE_APPEND = 0,  /**< add rows; snapshot operation "append" */
  ICE_MODE_REPLACE = 1, /**< contents become exactly the input; "overwrite"
                            ("append" on an empty table, "delete" for empty input) */
  ICE_MODE_MERGE = 2,   /**< merge by key (struct ice_merge_options): "overwrite" when
                             stored rows change, "append" when none do, "delete" when
                             rows are only deleted */
  /** replace exactly the partitions the input writes (Spark's dynamic overwrite,
   *  Java's ReplacePartitions): one "overwrite" snapshot that adds the new files and
   *  removes every live data and delete file of the default spec whose partition the
   *  input wrote; files of older specs stay. On a table whose default spec is
   *  unpartitioned it replaces the whole table. Input without rows commits nothing.
   *  A concurrent commit that added or removed files in a replaced partition is
   *  ICE_ECONFLICT naming it (nothing committed); other concurrent commits are
   *  retried over. Summary: replace-partitions=true. */
  ICE_MODE_OVERWRITE_PARTITIONS = 3
};

/** How a merge treats incoming rows whose key is stored. */
enum ice_merge_strategy {
  ICE_MERGE_UPSERT = 0,       /**< replace the stored row; insert the others */
  ICE_MERGE_INSERT_ONLY = 1,  /**< leave stored keys untouched; insert the others */
  ICE_MERGE_DELETE_INSERT = 2 /**< remove every stored row of an incoming key, then
                                   insert every input row (keys may repeat) */
};

/** What a merge does with a key that appears more than once in its input. */
enum ice_merge_dedup {
  ICE_DEDUP_ERROR = 0, /**< fail naming the key; nothing is committed */
  ICE_DEDUP_FIRST = 1, /**< keep the first occurrence in input order */
  ICE_DEDUP_LAST = 2   /**< keep the last */
};

/** A merge; initialise with ice_merge_options_init(). Pointers are borrowed. */
struct ice_merge_options {
  const char *const *keys; /**< key columns (top-level, not float/double/nested);
                                n_keys = 0: the table's identifier fields */
  size_t n_keys;
  enum ice_merge_strategy strategy;
  const char *hard_delete; /**< a boolean column: rows where it is true delete the
                                stored row of their key and are not inserted; NULL =
                                none */
  enum ice_merge_dedup dedup;
};
ICE_API void ice_merge_options_init(struct ice_merge_options *o);

/** What a successful write did. Caller-allocated; filled on success (and, where known,
 *  on failure: `metadata_location` names what was attempted). */
struct ice_commit_info {
  int committed;        /**< 1 when a snapshot was committed */
  int64_t snapshot_id;  /**< new snapshot id; -1 when nothing was committed */
  char operation[16];   /**< "append", "overwrite", "delete" or "" */
  int64_t rows_written; /**< rows in the data files added */
  int64_t data_files_added;
  int64_t data_files_removed;
  int64_t bytes_written;        /**< bytes of the data files added */
  int32_t attempts;             /**< catalog commit attempts (1 = no conflict) */
  int table_created;            /**< 1 when this call created the table */
  double commit_seconds;        /**< monotonic seconds from the last data file closed to
                                     the commit done (manifest, manifest list, metadata
                                     JSON, catalog swap, retries) */
  double manifest_add_seconds;  /**< seconds spent adding data-file entries to the new
                                     manifest while data was written (not in
                                     commit_seconds) */
  char metadata_location[1024]; /**< the table's metadata file after the call */
  int64_t memory_limit_bytes;   /**< the load's memory budget (its --memory-limit) */
  int64_t memory_peak_bytes;    /**< the most the load held at once under that budget:
                                     reader pages and batches, writer pages,
                                     dictionaries and open row group (not RSS) */
  /* A merge's outcome (0 for other modes). */
  int64_t rows_inserted;      /**< input rows written whose key was not stored */
  int64_t rows_updated;       /**< stored rows replaced by a different input row */
  int64_t rows_deleted;       /**< stored rows removed (hard deletes, delete-insert) */
  int64_t rows_unchanged;     /**< input rows equal to the stored row: not rewritten */
  int64_t files_scanned;      /**< stored data files read (the rest were pruned) */
  int64_t files_rewritten;    /**< stored data files rewritten (copy-on-write) */
  int64_t delete_files_added; /**< position delete files written (merge-on-read) */
  /* A partitioned table's load (0 otherwise). */
  int64_t partitions_written; /**< distinct partition tuples of the files added */
  int64_t rows_spilled;  /**< rows routed through temporary runs because more partitions
                              arrived than writers could be open */
  int64_t bytes_spilled; /**< bytes of those runs */
  /** The request's load_id was already in the summary (icestream.load-id) of this
   *  snapshot of the table's main history, so nothing was committed and nothing the
   *  call wrote was kept; -1 otherwise (and for calls without a load_id). */
  int64_t already_loaded_snapshot_id;
};

/** Progress of a running load, reported after each batch and each closed file. */
struct ice_load_progress {
  int64_t rows;          /**< rows read so far */
  int64_t bytes_written; /**< data bytes written so far */
  int32_t inputs_done;   /**< input files finished */
  int32_t inputs_total;
  int64_t input_bytes_read;  /**< input bytes consumed so far (a file's size times the
                                  share of its rows read) */
  int64_t input_bytes_total; /**< sum of the input files' sizes */
};
typedef void (*ice_progress_fn)(void *user, const struct ice_load_progress *p);

/** A load of Parquet files into a table; initialise with ice_load_request_init(). All
 *  pointers are borrowed for the call. */
struct ice_load_request {
  const char *const *inputs; /**< Parquet file paths (already expanded) */
  size_t n_inputs;
  enum ice_write_mode mode;
  const char *const *table_props; /**< key, value, ..., NULL: properties if created */
  const char *load_id;      /**< stamped as summary icestream.load-id; NULL = none */
  int64_t batch_rows;       /**< rows per read batch; <= 0 = default */
  int64_t memory_limit;     /**< bytes; bounds buffered data; <= 0 = 256 MiB */
  ice_progress_fn progress; /**< NULL = no progress reports */
  void *progress_user;
  const volatile sig_atomic_t *cancel; /**< when it becomes non-zero (e.g. in a signal
                                            handler) the load stops at the next batch,
                                            deletes what it wrote and fails with
                                            ICE_ECANCELED; never once the commit has
                                            begun. NULL = not cancellable */
  struct ice_merge_options merge;      /**< mode ICE_MODE_MERGE */
  /** Schema changes the load may commit with its data (default ADD). Never allowed,
   *  whatever the value (ICE_ESCHEMA naming the column and both types, nothing
   *  committed): a narrowing, string <-> number, struct <-> primitive, a list element
   *  or map key changed incompatibly. */
  enum ice_schema_evolution schema_evolution;
  const char *partition_by; /**< partition spec of a table the load creates (as
                                 ice_table_create_partitioned takes it); a table that
                                 exists must already have it as its default spec
                                 (ICE_EINVAL otherwise). NULL = as the table is */
  /** Threads that encode and compress the data files' columns: 0 (default) = one per
   *  online CPU, 1 = all on the calling thread, at most ICE_LOAD_MAX_THREADS
   *  (ICE_EINVAL beyond). Above 1, each input file's next batch is also read ahead on a
   *  background thread, its columns decoded on as many threads. The files hold the
   *  same rows in the same order whatever the number; the memory limit covers every
   *  thread's buffers. */
  int threads;
};
/** The most ice_load_request.threads can ask for. */
#define ICE_LOAD_MAX_THREADS 256
ICE_API void ice_load_request_init(struct ice_load_request *req);

/** The smallest memory_limit a load accepts (1 MiB): below it not even one page per
 *  column and one batch fit. A smaller positive limit is ICE_EINVAL, before any input
 *  is opened. */
ICE_API int64_t ice_load_min_memory_limit(void);

/** Loads Parquet files into `ident`: validates every input's footer and schema first
 *  (nothing is written if one is bad), creates the table (and namespaces) from the
 *  first input's schema if it does not exist, streams all rows into rolling data files
 *  and commits one snapshot. At least one input is required (ICE_EINVAL otherwise), so
 *  a replace can never empty a table by accident: an empty Parquet file does that.
 *  Errors: ICE_ENOTFOUND (missing input), ICE_ECORRUPT (not Parquet / bad footer),
 *  ICE_ESCHEMA (incompatible or unstorable column; message names file and column),
 *  ICE_ECONFLICT (retries exhausted), ICE_ECOMMIT_UNKNOWN, ICE_EIO, ICE_ELIMIT,
 *  ICE_ECANCELED, ICE_EAUTH (the table's location is outside the warehouse and every
 *  allowed root: catalog property "allow-location" in ice_catalog.h; nothing is
 *  written). */
ICE_API int ice_load_files(ice_catalog *cat, const char *ident,
                           const struct ice_load_request *req,
                           struct ice_commit_info *info, struct ice_error *err);

/** Appends the rows of `stream` (consumed: released on every path) to the table as one
 *  snapshot. On success `tbl` is refreshed to the committed version. */
ICE_API int ice_table_append(ice_table *tbl, struct ArrowArrayStream *stream,
                             struct ice_commit_info *info, struct ice_error *err);

/** Replaces the table's contents with the rows of `stream` (consumed) as one snapshot. */
ICE_API int ice_table_replace(ice_table *tbl, struct ArrowArrayStream *stream,
                              struct ice_commit_info *info, struct ice_error *err);

/** Overwrites the partitions the rows of `stream` (consumed) fall into, as one snapshot
 *  (ICE_MODE_OVERWRITE_PARTITIONS); a stream without rows commits nothing
 *  (info->committed = 0). ICE_ECONFLICT when a concurrent commit changed one of those
 *  partitions. On success `tbl` is refreshed. */
ICE_API int ice_table_overwrite_partitions(ice_table *tbl,
                                           struct ArrowArrayStream *stream,
                                           struct ice_commit_info *info,
                                           struct ice_error *err);

/** Merges the rows of `stream` (consumed) into the table by key as one snapshot
 *  (ICE_MODE_MERGE; `opts` NULL = an upsert on the table's identifier fields). The
 *  stream is read once into a local temporary Parquet file ($TMPDIR), since a merge reads
 *  its input twice. `info` gets the merge counters. On success `tbl` is refreshed. */
ICE_API int ice_table_merge(ice_table *tbl, struct ArrowArrayStream *stream,
                            const struct ice_merge_options *opts,
                            struct ice_commit_info *info, struct ice_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ICE_TABLE_H */
