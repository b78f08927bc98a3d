/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes schema evolution against a fixed table schema (primitives, a struct, a list
 * of structs, a map with struct values, an identifier field, a partition source):
 *   byte 0: bit 0-1 the mode (add, relax, strict), bit 2 keep-ids;
 *   then a line of schema JSON: the "input" (untrusted, any ids), united with the
 *   table (ib_schema_union);
 *   then one edit per line (`A path:type`, `R path:name`, `D path`, `W path:type`),
 *   applied as `alter` would (ib_schema_apply_edits).
 * Checked: no crash or leak; an accepted union validates, keeps every table field id,
 * never lowers last-column-id, and a second union of its result with the same input
 * changes nothing (fresh ids only); accepted edits validate and keep every id the
 * identifier field and the partition spec use.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_edit.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_schema_union.h"
#include "util/alloc.h"

#define TABLE_JSON                                                                 \
  "{\"type\":\"struct\",\"schema-id\":0,\"identifier-field-ids\":[1],\"fields\":[" \
  "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"int\"},"                 \
  "{\"id\":2,\"name\":\"s\",\"required\":true,\"type\":\"string\"},"               \
  "{\"id\":3,\"name\":\"st\",\"required\":false,\"type\":{\"type\":\"struct\","    \
  "\"fields\":[{\"id\":6,\"name\":\"p\",\"required\":true,\"type\":\"float\"}]}}," \
  "{\"id\":4,\"name\":\"l\",\"required\":false,\"type\":{\"type\":\"list\","       \
  "\"element-id\":7,\"element-required\":true,\"element\":{\"type\":\"struct\","   \
  "\"fields\":[{\"id\":8,\"name\":\"a\",\"required\":false,"                       \
  "\"type\":\"decimal(9, 2)\"}]}}},"                                               \
  "{\"id\":5,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\","        \
  "\"key-id\":9,\"key\":\"string\",\"value-id\":10,\"value-required\":false,"      \
  "\"value\":{\"type\":\"struct\",\"fields\":[{\"id\":11,\"name\":\"v\","          \
  "\"required\":false,\"type\":\"long\"}]}}}]}"

static struct ib_table_metadata g_md;
static int g_ready;

static void setup(void) {
  struct ice_error err;
  ib_table_metadata_init(&g_md);
  g_md.schemas = ice_calloc(1, sizeof(*g_md.schemas));
  g_md.specs = ice_calloc(1, sizeof(*g_md.specs));
  if (g_md.schemas == NULL || g_md.specs == NULL) abort();
  ib_schema_init(&g_md.schemas[0], 0);
  if (ib_schema_parse(TABLE_JSON, strlen(TABLE_JSON), &g_md.schemas[0], &err) != ICE_OK)
    abort();
  g_md.n_schemas = 1;
  g_md.current_schema_id = 0;
  g_md.last_column_id = 11;
  if (ib_partition_spec_parse("truncate(4, s)", &g_md.schemas[0], NULL, g_md.specs,
                              &err) != ICE_OK)
    abort();
  g_md.n_specs = 1;
  g_ready = 1;
}

static int keeps_ids_cb(const struct ib_field *f, int depth, void *ctx) {
  (void)depth;
  return ib_schema_find_by_id(ctx, f->id) == NULL;
}

static void fuzz_union(const char *json, size_t len, uint8_t flags) {
  struct ib_schema in, out, again;
  struct ice_error err;
  ib_schema_init(&in, 0);
  if (ib_schema_parse(json, len, &in, &err) != ICE_OK) return;
  struct ib_schema_union_options o = {(enum ib_schema_evolution)((flags & 3) % 3),
                                      (flags & 4) != 0, "fuzz"};
  const struct ib_schema *table = &g_md.schemas[0];
  int32_t last = g_md.last_column_id;
  bool changed = false;
  if (ib_schema_union(table, &in, &o, &last, &out, &changed, &err) == ICE_OK) {
    if (ib_schema_validate(&out, &err) != ICE_OK) abort();
    if (last < g_md.last_column_id || ib_schema_highest_field_id(&out) > last) abort();
    if (ib_schema_visit(table, keeps_ids_cb, &out) != 0) abort();
    if (!changed && !ib_type_equal(&out.root, &table->root)) abort();
    if (!o.keep_input_ids) {
      int32_t last2 = last;
      bool changed2 = true;
      if (ib_schema_union(&out, &in, &o, &last2, &again, &changed2, &err) != ICE_OK)
        abort();
      if (changed2 || last2 != last) abort();
      ib_schema_reset(&again);
    }
    ib_schema_reset(&out);
  }
  ib_schema_reset(&in);
}

static void fuzz_edits(char *text) {
  struct ib_schema_edit edits[16];
  size_t n = 0;
  for (char *line = text; line != NULL && n < 16;) {
    char *next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    if (line[0] != '\0' && line[1] == ' ') {
      char *arg = NULL;
      if (line[0] != 'D') {
        arg = strrchr(line + 2, ':');
        if (arg != NULL) *arg++ = '\0';
      }
      enum ib_schema_edit_kind k = line[0] == 'A'   ? IB_EDIT_ADD_COLUMN
                                   : line[0] == 'R' ? IB_EDIT_RENAME_COLUMN
                                   : line[0] == 'D' ? IB_EDIT_DROP_COLUMN
                                                    : IB_EDIT_WIDEN_COLUMN;
      edits[n++] = (struct ib_schema_edit){k, line + 2, arg};
    }
    line = next;
  }
  struct ib_schema out;
  struct ice_error err;
  int32_t last = g_md.last_column_id;
  if (ib_schema_apply_edits(&g_md, edits, n, &last, &out, &err) == ICE_OK) {
    if (ib_schema_validate(&out, &err) != ICE_OK) abort();
    if (ib_schema_find_by_id(&out, 1) == NULL || ib_schema_find_by_id(&out, 2) == NULL)
      abort();
    if (ib_schema_highest_field_id(&out) > last) abort();
    ib_schema_reset(&out);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g_ready) setup();
  if (size < 1 || size > 8192) return 0;
  char *text = ice_strndup((const char *)data + 1, size - 1);
  if (text == NULL) return 0;
  char *nl = strchr(text, '\n');
  size_t json_len = nl != NULL ? (size_t)(nl - text) : strlen(text);
  fuzz_union(text, json_len, data[0]);
  if (nl != NULL) fuzz_edits(nl + 1);
  ice_free(text);
  return 0;
}
