/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The commit vocabulary of the Iceberg REST protocol (reference/iceberg.md §8.4; OpenAPI
 * schemas TableUpdate, TableRequirement, CommitTableRequest): a commit is a list of
 * requirements checked against the table as it is now, and a list of updates applied to
 * it by one metadata builder. Operations produce the two lists from a base metadata; a
 * SQL catalog checks, applies and swaps; a REST catalog sends them as they are.
 *
 * Everything here is pure: no I/O, no clock (the caller passes now_ms), no randomness
 * (a new table's UUID arrives through assign-uuid).
 */
#ifndef ICE_ICEBERG_IB_UPDATE_H
#define ICE_ICEBERG_IB_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_str_map.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "util/error.h"

struct json_t; /* jansson */

/* "-1" in set-current-schema / set-default-spec / set-default-sort-order: the schema,
 * spec or order added last by the same update list. */
#define IB_LAST_ADDED (-1)

enum ib_update_action {
  IB_UPDATE_ASSIGN_UUID = 1,        /* text = uuid */
  IB_UPDATE_UPGRADE_FORMAT_VERSION, /* id = format-version */
  IB_UPDATE_ADD_SCHEMA,             /* schema (+ deprecated last-column-id) */
  IB_UPDATE_SET_CURRENT_SCHEMA,     /* id = schema-id or IB_LAST_ADDED */
  IB_UPDATE_ADD_SPEC,               /* spec */
  IB_UPDATE_SET_DEFAULT_SPEC,       /* id = spec-id or IB_LAST_ADDED */
  IB_UPDATE_ADD_SORT_ORDER,         /* sort_order */
  IB_UPDATE_SET_DEFAULT_SORT_ORDER, /* id = sort-order-id or IB_LAST_ADDED */
  IB_UPDATE_ADD_SNAPSHOT,           /* snapshot */
  IB_UPDATE_SET_SNAPSHOT_REF,       /* ref */
  IB_UPDATE_REMOVE_SNAPSHOTS,       /* snapshot_ids */
  IB_UPDATE_REMOVE_SNAPSHOT_REF,    /* text = ref-name */
  IB_UPDATE_SET_LOCATION,           /* text = location */
  IB_UPDATE_SET_PROPERTIES,         /* properties = updates */
  IB_UPDATE_REMOVE_PROPERTIES       /* removals */
};

/* A branch or tag (spec "Snapshot References"). Retention fields are -1 when absent. */
struct ib_snapshot_ref {
  char *name; /* owned */
  bool is_tag;
  int64_t snapshot_id;
  int64_t max_ref_age_ms;
  int64_t max_snapshot_age_ms;   /* branches only */
  int32_t min_snapshots_to_keep; /* branches only */
};

/* One update. Only the members named next to its action are meaningful; the others
 * stay zeroed, so ib_update_reset frees whatever was set. */
struct ib_update {
  enum ib_update_action action;
  char *text; /* owned */
  int32_t id;
  struct ib_schema schema;
  bool has_last_column_id; /* add-schema's deprecated field, kept for round trips */
  int32_t last_column_id;
  struct ib_partition_spec spec;
  struct ib_sort_order sort_order;
  struct ib_snapshot snapshot;
  struct ib_snapshot_ref ref;
  int64_t *snapshot_ids; /* owned */
  size_t n_snapshot_ids;
  struct ib_str_map properties;
  char **removals; /* owned */
  size_t n_removals;
};

enum ib_requirement_type {
  IB_REQ_ASSERT_CREATE = 1,
  IB_REQ_ASSERT_TABLE_UUID,                 /* text = uuid */
  IB_REQ_ASSERT_REF_SNAPSHOT_ID,            /* text = ref, has_snapshot_id/snapshot_id */
  IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID,     /* id */
  IB_REQ_ASSERT_CURRENT_SCHEMA_ID,          /* id */
  IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID, /* id */
  IB_REQ_ASSERT_DEFAULT_SPEC_ID,            /* id */
  IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID       /* id */
};

struct ib_requirement {
  enum ib_requirement_type type;
  char *text;           /* owned */
  bool has_snapshot_id; /* false: JSON null, the ref must not exist */
  int64_t snapshot_id;
  int32_t id;
};

/* Growable lists; init zeroes, reset frees every element (idempotent). */
struct ib_update_list {
  struct ib_update *items;
  size_t n, cap;
};
struct ib_requirement_list {
  struct ib_requirement *items;
  size_t n, cap;
};

void ib_update_init(struct ib_update *u, enum ib_update_action action);
void ib_update_reset(struct ib_update *u);
void ib_requirement_init(struct ib_requirement *r, enum ib_requirement_type type);
void ib_requirement_reset(struct ib_requirement *r);

void ib_update_list_init(struct ib_update_list *l);
void ib_update_list_reset(struct ib_update_list *l);
/* Appends an initialized update of that action and returns it in *out (borrowed, valid
 * until the next append). ICE_ENOMEM, ICE_ELIMIT past ICE_LIMIT_METADATA_LIST. */
int ib_update_list_add(struct ib_update_list *l, enum ib_update_action action,
                       struct ib_update **out, struct ice_error *err) ICE_NODISCARD;
void ib_requirement_list_init(struct ib_requirement_list *l);
void ib_requirement_list_reset(struct ib_requirement_list *l);
int ib_requirement_list_add(struct ib_requirement_list *l, enum ib_requirement_type type,
                            struct ib_requirement **out,
                            struct ice_error *err) ICE_NODISCARD;

/* The REST names ("add-snapshot", "assert-create"); NULL for an unknown value. */
const char *ib_update_action_name(enum ib_update_action a);
const char *ib_requirement_type_name(enum ib_requirement_type t);
/* The reverse; 0 for a name this vocabulary does not have. */
enum ib_update_action ib_update_action_from_name(const char *name);
enum ib_requirement_type ib_requirement_type_from_name(const char *name);

/* ---- JSON (ib_update_json.c, ib_requirement_json.c) ----
 * to_json returns a new reference in the REST shape. from_json treats its input as
 * untrusted: every member is type-checked and range-checked, unknown actions/types
 * are ICE_EUNSUPPORTED, anything malformed is ICE_ECORRUPT naming the member
 * ("add-snapshot: 'snapshot': missing 'timestamp-ms'"). *out is filled only on
 * success (it needs no init). */
int ib_update_to_json(const struct ib_update *u, struct json_t **out,
                      struct ice_error *err) ICE_NODISCARD;
int ib_update_from_json(const struct json_t *j, struct ib_update *out,
                        struct ice_error *err) ICE_NODISCARD;
int ib_requirement_to_json(const struct ib_requirement *r, struct json_t **out,
                           struct ice_error *err) ICE_NODISCARD;
int ib_requirement_from_json(const struct json_t *j, struct ib_requirement *out,
                             struct ice_error *err) ICE_NODISCARD;

/* A CommitTableRequest {"requirements": [...], "updates": [...]} (identifier left out;
 * a REST client adds it for multi-table commits). *out is compact JSON, free with
 * ice_free. */
int ib_commit_request_to_json(const struct ib_requirement_list *reqs,
                              const struct ib_update_list *updates, char **out,
                              size_t *len, struct ice_error *err) ICE_NODISCARD;
/* Parses a CommitTableRequest body (len capped by ICE_LIMIT_METADATA_JSON_BYTES; an
 * "identifier" member is accepted and ignored). reqs and updates must be initialized;
 * they are replaced only on success. */
int ib_commit_request_parse(const char *json, size_t len,
                            struct ib_requirement_list *reqs,
                            struct ib_update_list *updates,
                            struct ice_error *err) ICE_NODISCARD;

/* ---- lists for the usual operations (ib_update_make.c) ----
 * Appended to reqs / ups (initialized by the caller); on failure what was appended by
 * the call may stay, so callers drop both lists. */

/* A new unpartitioned, unsorted v2 table, as a REST create: requirement
 * assert-create; updates assign-uuid (uuid from the caller), upgrade-format-version 2,
 * add-schema (a copy of schema), set-current-schema -1, add-spec (unpartitioned),
 * set-default-spec -1, add-sort-order (unsorted), set-default-sort-order -1,
 * set-location, set-properties (properties with the reserved "format-version" accepted
 * only as "2" and dropped, ICE_EUNSUPPORTED otherwise; write.parquet.compression-codec
 * defaulted to zstd as Java does). */
int ib_commit_new_table(const char *uuid, const char *location,
                        const struct ib_schema *schema,
                        const struct ib_str_map *properties,
                        struct ib_requirement_list *reqs, struct ib_update_list *ups,
                        struct ice_error *err) ICE_NODISCARD;
/* The same for a partitioned table: add-spec carries a copy of spec (bound to schema,
 * e.g. by ib_partition_spec_parse; NULL gives the unpartitioned spec). */
int ib_commit_new_partitioned_table(const char *uuid, const char *location,
                                    const struct ib_schema *schema,
                                    const struct ib_partition_spec *spec,
                                    const struct ib_str_map *properties,
                                    struct ib_requirement_list *reqs,
                                    struct ib_update_list *ups,
                                    struct ice_error *err) ICE_NODISCARD;

/* The requirements that guard updates[0..n) made from base, as Java's
 * UpdateRequirements derives them: base NULL (a create) gives assert-create; otherwise
 * assert-table-uuid, then once each: assert-ref-snapshot-id with base's value (null
 * when the ref did not exist) for every ref a set-snapshot-ref or remove-snapshot-ref
 * touches, assert-last-assigned-field-id for add-schema,
 * assert-current-schema-id for set-current-schema,
 * assert-last-assigned-partition-id for add-spec, assert-default-spec-id for
 * set-default-spec, assert-default-sort-order-id for set-default-sort-order. */
int ib_commit_requirements(const struct ib_table_metadata *base,
                           const struct ib_update *updates, size_t n,
                           struct ib_requirement_list *reqs,
                           struct ice_error *err) ICE_NODISCARD;

/* A new snapshot on branch of base: add-snapshot (parent = the branch's head in base,
 * schema-id = base's current schema; id, sequence number, time, manifest list and
 * summary from add) and set-snapshot-ref (a branch, keeping the retention fields the
 * ref has in base). For a table created by the same commit, base is the metadata the
 * create updates build. */
int ib_commit_add_snapshot(const struct ib_table_metadata *base, const char *branch,
                           const struct ib_snapshot_add *add, struct ib_update_list *ups,
                           struct ice_error *err) ICE_NODISCARD;

/* ---- the metadata builder (ib_metadata_builder*.c) ----
 * Applies updates[0..n) in order to a private copy of base (NULL: a create, starting
 * from an empty v2 table) and returns the result in *out (initialized by the caller;
 * replaced only on success). base_location is the file base was read from: it goes to
 * the end of metadata-log, which is then trimmed to write.metadata.previous-versions-max
 * (default 100, at least 1) as it stands after the updates. last-updated-ms becomes
 * max(now_ms, base's, timestamps of added snapshots). A broken rule is ICE_EINVAL
 * naming the update and the rule ("updates[3] add-snapshot: sequence-number 4 is not
 * above last-sequence-number 5"); unsupported values (format-version 3) are
 * ICE_EUNSUPPORTED. The rules are listed in docs/internals/COMMIT.md. */
int ib_metadata_build(const struct ib_table_metadata *base, const char *base_location,
                      const struct ib_update *updates, size_t n, int64_t now_ms,
                      struct ib_table_metadata *out, struct ice_error *err) ICE_NODISCARD;

/* ---- the requirement checker (ib_requirement_check.c) ----
 * Checks requirements[0..n) against the table as it is now (base NULL: the table does
 * not exist). ICE_OK when all hold; otherwise ICE_ECONFLICT naming the first failing
 * requirement and what the table has ("assert-ref-snapshot-id: ref 'main' is at
 * snapshot 7, expected 5"). A retry re-runs this against the reloaded table. */
int ib_requirements_check(const struct ib_requirement *reqs, size_t n,
                          const struct ib_table_metadata *base,
                          struct ice_error *err) ICE_NODISCARD;

#endif
