/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes partition specs written as text (`--partition-by`, ib_partition_spec_parse)
 * against a fixed schema with every primitive kind, a struct and a list. The first
 * byte chooses a new table or an existing one (ids after its last-partition-id, reuse
 * of its fields). Checked: no crash or leak; an accepted spec has unique names and
 * unique field ids >= 1000, each source a primitive of the schema; and the spec
 * written back as text (quoted columns and names) parses to the same fields.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SCHEMA_JSON                                                               \
  "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["                             \
  "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"               \
  "{\"id\":2,\"name\":\"s\",\"required\":false,\"type\":\"string\"},"             \
  "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"       \
  "{\"id\":4,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"               \
  "{\"id\":5,\"name\":\"p\",\"required\":false,\"type\":\"decimal(10, 2)\"},"     \
  "{\"id\":6,\"name\":\"b\",\"required\":false,\"type\":\"boolean\"},"            \
  "{\"id\":7,\"name\":\"st\",\"required\":false,\"type\":{\"type\":\"struct\","   \
  "\"fields\":[{\"id\":8,\"name\":\"c\",\"required\":false,\"type\":\"string\"}," \
  "{\"id\":9,\"name\":\"z\",\"required\":false,\"type\":\"int\"}]}},"             \
  "{\"id\":10,\"name\":\"l\",\"required\":false,\"type\":{\"type\":\"list\","     \
  "\"element-id\":11,\"element-required\":false,\"element\":\"string\"}},"        \
  "{\"id\":12,\"name\":\"a b\",\"required\":false,\"type\":\"string\"},"          \
  "{\"id\":13,\"name\":\"t\",\"required\":false,\"type\":\"time\"},"              \
  "{\"id\":14,\"name\":\"bin\",\"required\":false,\"type\":\"binary\"},"          \
  "{\"id\":15,\"name\":\"u\",\"required\":false,\"type\":\"uuid\"}]}"

static struct ib_schema g_schema;
static struct ib_table_metadata g_base; /* spec 0: bucket[16](id) 1000, day(ts) 1001 */
static int g_ready;

static void setup(void) {
  struct ice_error err;
  ib_schema_init(&g_schema, 0);
  if (ib_schema_parse(SCHEMA_JSON, strlen(SCHEMA_JSON), &g_schema, &err) != ICE_OK)
    abort();
  ib_table_metadata_init(&g_base);
  g_base.specs = ice_calloc(1, sizeof(*g_base.specs));
  if (g_base.specs == NULL ||
      ib_partition_spec_parse("bucket(16, id), day(ts)", &g_schema, NULL, g_base.specs,
                              &err) != ICE_OK)
    abort();
  g_base.n_specs = 1;
  g_base.last_partition_id = 1001;
  g_ready = 1;
}

/* Appends s in backquotes (a backquote doubled). */
static void quoted(struct ice_buf *b, const char *s) {
  struct ice_error err;
  if (ice_buf_append_byte(b, '`', &err) != ICE_OK) abort();
  for (; *s != '\0'; s++) {
    if (*s == '`' && ice_buf_append_byte(b, '`', &err) != ICE_OK) abort();
    if (ice_buf_append_byte(b, (uint8_t)*s, &err) != ICE_OK) abort();
  }
  if (ice_buf_append_byte(b, '`', &err) != ICE_OK) abort();
}

/* The spec as text: transform(`seg`.`seg`) AS `name`, ... (schema names hold no '.',
 * so the dotted field path splits back into its segments). */
static void write_back(const struct ib_partition_spec *s, struct ice_buf *b) {
  struct ice_error err;
  char path[256], fn[48];
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct ib_partition_field *f = &s->fields[i];
    if (ib_schema_field_path(&g_schema, f->source_id, path, sizeof(path), &err) != ICE_OK)
      abort();
    const char *bracket = strchr(f->transform, '[');
    if (bracket != NULL) /* bucket[16] -> bucket(16, */
      snprintf(fn, sizeof(fn), "%s%.*s(%.*s, ", i ? ", " : "",
               (int)(bracket - f->transform), f->transform, (int)strlen(bracket + 1) - 1,
               bracket + 1);
    else
      snprintf(fn, sizeof(fn), "%s%s(", i ? ", " : "", f->transform);
    if (ice_buf_append(b, fn, strlen(fn), &err) != ICE_OK) abort();
    char *seg = path;
    for (;;) {
      char *dot = strchr(seg, '.');
      if (dot != NULL) *dot = '\0';
      quoted(b, seg);
      if (dot == NULL) break;
      if (ice_buf_append_byte(b, '.', &err) != ICE_OK) abort();
      seg = dot + 1;
    }
    if (ice_buf_append(b, ") AS ", 5, &err) != ICE_OK) abort();
    quoted(b, f->name);
  }
  if (ice_buf_append_byte(b, 0, &err) != ICE_OK) abort();
}

static void check(const struct ib_partition_spec *s) {
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct ib_partition_field *f = &s->fields[i];
    const struct ib_field *src = ib_schema_find_by_id(&g_schema, f->source_id);
    if (f->field_id < 1000 || src == NULL || !ib_type_is_primitive(&src->type)) abort();
    for (size_t j = 0; j < i; j++)
      if (s->fields[j].field_id == f->field_id || strcmp(s->fields[j].name, f->name) == 0)
        abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g_ready) setup();
  if (size < 1 || size > 4096) return 0;
  const struct ib_table_metadata *base = (data[0] & 1) ? &g_base : NULL;
  char *text = ice_strndup((const char *)data + 1, size - 1);
  if (text == NULL) return 0;
  struct ib_partition_spec s, again;
  struct ice_error err;
  memset(&s, 0, sizeof(s));
  memset(&again, 0, sizeof(again));
  if (ib_partition_spec_parse(text, &g_schema, base, &s, &err) == ICE_OK) {
    check(&s);
    struct ice_buf b;
    ice_buf_init(&b, 1 << 20);
    write_back(&s, &b);
    if (ib_partition_spec_parse((const char *)b.data, &g_schema, base, &again, &err) !=
            ICE_OK ||
        !ib_partition_spec_same_fields(&s, &again))
      abort();
    ice_buf_reset(&b);
    ib_partition_spec_reset(&again);
    ib_partition_spec_reset(&s);
  }
  ice_free(text);
  return 0;
}
