/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared fixtures of the test_iceberg_updates_* tests: a schema, the update list of a
 * create (what a REST stage-create commit sends), and the update list of an append.
 */
#ifndef ICE_TEST_ICEBERG_UPDATES_FIXTURE_H
#define ICE_TEST_ICEBERG_UPDATES_FIXTURE_H

#include <jansson.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "util/alloc.h"

#define FX_UUID "9c12d441-03fe-4693-9a96-a0705ddf69c1"
#define FX_LOCATION "file:/wh/db/t"
#define FX_NOW 1700000000000
/* id (identifier), ts, tags: list<string> (element id 4). */
#define FX_SCHEMA_JSON                                                             \
  "{\"type\":\"struct\",\"schema-id\":0,\"identifier-field-ids\":[1],\"fields\":[" \
  "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"                \
  "{\"id\":2,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"        \
  "{\"id\":3,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\","    \
  "\"element-id\":4,\"element-required\":false,\"element\":\"string\"}}]}"

static inline void fx_schema(struct ib_schema *s) {
  struct ice_error err;
  ib_schema_init(s, 0);
  CHECK_OK(ib_schema_parse(FX_SCHEMA_JSON, strlen(FX_SCHEMA_JSON), s, &err), &err);
}

static inline struct ib_update *fx_add(struct ib_update_list *l,
                                       enum ib_update_action a) {
  struct ice_error err;
  struct ib_update *u = NULL;
  CHECK_OK(ib_update_list_add(l, a, &u, &err), &err);
  return u;
}

static inline void fx_set_text(struct ib_update *u, const char *s) {
  u->text = ice_strdup(s);
  CHECK(u->text != NULL);
}

/* The initialisation updates of a REST create (reference/iceberg.md §8.4), with
 * properties props (may be NULL); the table is unpartitioned and unsorted. */
static inline void fx_create_updates(struct ib_update_list *l, const char *uuid,
                                     const struct ib_str_map *props) {
  struct ice_error err;
  fx_set_text(fx_add(l, IB_UPDATE_ASSIGN_UUID), uuid);
  fx_add(l, IB_UPDATE_UPGRADE_FORMAT_VERSION)->id = 2;
  struct ib_update *u = fx_add(l, IB_UPDATE_ADD_SCHEMA);
  ib_schema_reset(&u->schema);
  fx_schema(&u->schema);
  fx_add(l, IB_UPDATE_SET_CURRENT_SCHEMA)->id = IB_LAST_ADDED;
  fx_add(l, IB_UPDATE_ADD_SPEC);
  fx_add(l, IB_UPDATE_SET_DEFAULT_SPEC)->id = IB_LAST_ADDED;
  fx_add(l, IB_UPDATE_ADD_SORT_ORDER);
  fx_add(l, IB_UPDATE_SET_DEFAULT_SORT_ORDER)->id = IB_LAST_ADDED;
  fx_set_text(fx_add(l, IB_UPDATE_SET_LOCATION), FX_LOCATION);
  u = fx_add(l, IB_UPDATE_SET_PROPERTIES);
  if (props != NULL) CHECK_OK(ib_str_map_copy(&u->properties, props, &err), &err);
}

/* A new table built from fx_create_updates at FX_NOW. */
static inline void fx_create(struct ib_table_metadata *md) {
  struct ice_error err;
  struct ib_update_list l;
  ib_update_list_init(&l);
  fx_create_updates(&l, FX_UUID, NULL);
  CHECK_OK(ib_metadata_build(NULL, NULL, l.items, l.n, FX_NOW, md, &err), &err);
  ib_update_list_reset(&l);
}

/* add-snapshot (sequence number and parent from base's main) + set-snapshot-ref main:
 * what an append commits. */
static inline void fx_append_updates(struct ib_update_list *l,
                                     const struct ib_table_metadata *base, int64_t id,
                                     int64_t ts, const char *operation) {
  struct ice_error err;
  struct ib_update *u = fx_add(l, IB_UPDATE_ADD_SNAPSHOT);
  struct ib_snapshot *s = &u->snapshot;
  s->snapshot_id = id;
  s->sequence_number = base->last_sequence_number + 1;
  s->timestamp_ms = ts;
  s->has_parent = base->has_current_snapshot;
  s->parent_snapshot_id = base->current_snapshot_id;
  s->has_schema_id = true;
  s->schema_id = base->current_schema_id;
  s->manifest_list = ice_strdup(FX_LOCATION "/metadata/snap-1-1-u.avro");
  CHECK_OK(ib_str_map_set(&s->summary, "operation", operation, &err), &err);
  CHECK_OK(ib_str_map_set(&s->summary, "added-data-files", "1", &err), &err);
  u = fx_add(l, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("main");
  u->ref.snapshot_id = id;
}

/* Parses a CommitTableRequest made of the two JSON arrays into r and l (initialized). */
static inline int fx_parse_request(const char *reqs, const char *updates,
                                   struct ib_requirement_list *r,
                                   struct ib_update_list *l, struct ice_error *err) {
  char body[8192];
  snprintf(body, sizeof(body), "{\"requirements\":%s,\"updates\":%s}", reqs, updates);
  int rc = ib_commit_request_parse(body, strlen(body), r, l, err);
  if (rc != ICE_OK) fprintf(stderr, "  fixture request does not parse: %s\n", body);
  return rc;
}

/* Parses the JSON array of updates and builds on base (see ib_metadata_build). */
static inline int fx_build_json(const struct ib_table_metadata *base, const char *loc,
                                const char *updates, int64_t now,
                                struct ib_table_metadata *out, struct ice_error *err) {
  struct ib_update_list l;
  struct ib_requirement_list r;
  ib_update_list_init(&l);
  ib_requirement_list_init(&r);
  int rc = fx_parse_request("[]", updates, &r, &l, err);
  if (rc == ICE_OK) rc = ib_metadata_build(base, loc, l.items, l.n, now, out, err);
  ib_update_list_reset(&l);
  ib_requirement_list_reset(&r);
  return rc;
}

/* md as metadata JSON (ice_free the result). */
static inline char *fx_json(const struct ib_table_metadata *md) {
  struct ice_error err;
  char *out = NULL;
  size_t n = 0;
  CHECK_OK(ib_table_metadata_to_json(md, &out, &n, &err), &err);
  return out;
}

/* True when the JSON message of err contains needle; prints it otherwise. */
static inline int fx_says(const struct ice_error *err, const char *needle) {
  if (strstr(err->message, needle) != NULL) return 1;
  fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err->message, needle);
  return 0;
}

#endif
