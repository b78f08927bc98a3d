/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro schemas for v2 manifests and manifest lists exactly as reference/iceberg.md §3.8
 * lists them (Java's layout: field ids on every field, optional = ["null", T] with
 * default null, metric maps as arrays of k<id>_v<id> records). The partition record
 * r102 is built from the spec: one optional field per partition field, named by the
 * Avro-sanitized partition name, typed by the transform's result type.
 */
#include "iceberg/ib_manifest_schema.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"
#include "util/limits.h"

static const char k_manifest_list_v2[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"manifest_path\",\"type\":\"string\",\"field-id\":500},"
    "{\"name\":\"manifest_length\",\"type\":\"long\",\"field-id\":501},"
    "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"field-id\":502},"
    "{\"name\":\"content\",\"type\":\"int\",\"field-id\":517},"
    "{\"name\":\"sequence_number\",\"type\":\"long\",\"field-id\":515},"
    "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"field-id\":516},"
    "{\"name\":\"added_snapshot_id\",\"type\":\"long\",\"field-id\":503},"
    "{\"name\":\"added_files_count\",\"type\":\"int\",\"field-id\":504},"
    "{\"name\":\"existing_files_count\",\"type\":\"int\",\"field-id\":505},"
    "{\"name\":\"deleted_files_count\",\"type\":\"int\",\"field-id\":506},"
    "{\"name\":\"added_rows_count\",\"type\":\"long\",\"field-id\":512},"
    "{\"name\":\"existing_rows_count\",\"type\":\"long\",\"field-id\":513},"
    "{\"name\":\"deleted_rows_count\",\"type\":\"long\",\"field-id\":514},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":"
    "\"record\",\"name\":\"r508\",\"fields\":["
    "{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
    "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"field-id\":518,"
    "\"default\":null},"
    "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"field-id\":510,"
    "\"default\":null},"
    "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"field-id\":511,"
    "\"default\":null}"
    "]},\"element-id\":508}],\"field-id\":507,\"default\":null},"
    "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"field-id\":519,"
    "\"default\":null}"
    "]}";

const char *ib_manifest_list_avro_schema_v2(void) {
  return k_manifest_list_v2;
}

/* The data_file fields after `partition`, verbatim from §3.8. */
static const char k_data_file_tail[] =
    "{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
    "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"field-id\":104},"
    "{\"name\":\"column_sizes\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":"
    "\"map\",\"items\":{\"type\":\"record\",\"name\":\"k117_v118\",\"fields\":[{\"name\":"
    "\"key\",\"type\":\"int\",\"field-id\":117},{\"name\":\"value\",\"type\":\"long\","
    "\"field-id\":118}]}}],\"field-id\":108,\"default\":null},"
    "{\"name\":\"value_counts\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":"
    "\"map\",\"items\":{\"type\":\"record\",\"name\":\"k119_v120\",\"fields\":[{\"name\":"
    "\"key\",\"type\":\"int\",\"field-id\":119},{\"name\":\"value\",\"type\":\"long\","
    "\"field-id\":120}]}}],\"field-id\":109,\"default\":null},"
    "{\"name\":\"null_value_counts\",\"type\":[\"null\",{\"type\":\"array\","
    "\"logicalType\":\"map\",\"items\":{\"type\":\"record\",\"name\":\"k121_v122\","
    "\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":121},{\"name\":"
    "\"value\",\"type\":\"long\",\"field-id\":122}]}}],\"field-id\":110,\"default\":null}"
    ","
    "{\"name\":\"nan_value_counts\",\"type\":[\"null\",{\"type\":\"array\","
    "\"logicalType\":\"map\",\"items\":{\"type\":\"record\",\"name\":\"k138_v139\","
    "\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":138},{\"name\":"
    "\"value\",\"type\":\"long\",\"field-id\":139}]}}],\"field-id\":137,\"default\":null}"
    ","
    "{\"name\":\"lower_bounds\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":"
    "\"map\",\"items\":{\"type\":\"record\",\"name\":\"k126_v127\",\"fields\":[{\"name\":"
    "\"key\",\"type\":\"int\",\"field-id\":126},{\"name\":\"value\",\"type\":\"bytes\","
    "\"field-id\":127}]}}],\"field-id\":125,\"default\":null},"
    "{\"name\":\"upper_bounds\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":"
    "\"map\",\"items\":{\"type\":\"record\",\"name\":\"k129_v130\",\"fields\":[{\"name\":"
    "\"key\",\"type\":\"int\",\"field-id\":129},{\"name\":\"value\",\"type\":\"bytes\","
    "\"field-id\":130}]}}],\"field-id\":128,\"default\":null},"
    "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"field-id\":131,"
    "\"default\":null},"
    "{\"name\":\"split_offsets\",\"type\":[\"null\",{\"type\":\"array\",\"items\":"
    "\"long\",\"element-id\":133}],\"field-id\":132,\"default\":null},"
    "{\"name\":\"equality_ids\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\","
    "\"element-id\":136}],\"field-id\":135,\"default\":null},"
    "{\"name\":\"sort_order_id\",\"type\":[\"null\",\"int\"],\"field-id\":140,"
    "\"default\":null},"
    "{\"name\":\"referenced_data_file\",\"type\":[\"null\",\"string\"],\"field-id\":143,"
    "\"default\":null}";

int ib_avro_safe_name(const char *name, char **out, struct ice_error *err) {
  size_t n = strlen(name);
  if (n == 0 || n > ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "invalid field name");
  char *s = ice_malloc(n * 4 + 1); /* worst case "_xHH" per byte */
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (letter || (digit && i > 0)) {
      s[o++] = (char)c;
    } else if (digit) {
      s[o++] = '_';
      s[o++] = (char)c;
    } else {
      o += (size_t)snprintf(s + o, 5, "_x%02X", c);
    }
  }
  s[o] = '\0';
  *out = s;
  return ICE_OK;
}

/* Avro type of a partition value (§3.1 type mapping); named fixed types are defined
 * once and referenced by name afterwards, as Avro requires. */
static json_t *partition_avro_type(const struct ib_type *t, json_t *defined) {
  char name[64];
  json_t *o;
  switch (t->id) {
    case IB_TYPE_BOOLEAN:
      return json_string("boolean");
    case IB_TYPE_INT:
      return json_string("int");
    case IB_TYPE_LONG:
      return json_string("long");
    case IB_TYPE_FLOAT:
      return json_string("float");
    case IB_TYPE_DOUBLE:
      return json_string("double");
    case IB_TYPE_STRING:
      return json_string("string");
    case IB_TYPE_BINARY:
      return json_string("bytes");
    case IB_TYPE_DATE:
      return json_pack("{s:s,s:s}", "type", "int", "logicalType", "date");
    case IB_TYPE_TIME:
      return json_pack("{s:s,s:s}", "type", "long", "logicalType", "time-micros");
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
      return json_pack("{s:s,s:s,s:b}", "type", "long", "logicalType", "timestamp-micros",
                       "adjust-to-utc", t->id == IB_TYPE_TIMESTAMPTZ);
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      return json_pack("{s:s,s:s,s:b}", "type", "long", "logicalType", "timestamp-nanos",
                       "adjust-to-utc", t->id == IB_TYPE_TIMESTAMPTZ_NS);
    case IB_TYPE_UUID:
      snprintf(name, sizeof(name), "uuid_fixed");
      if (json_object_get(defined, name)) return json_string(name);
      json_object_set_new(defined, name, json_true());
      return json_pack("{s:s,s:s,s:i,s:s}", "type", "fixed", "name", name, "size", 16,
                       "logicalType", "uuid");
    case IB_TYPE_FIXED:
      snprintf(name, sizeof(name), "fixed_%d", (int)t->length);
      if (json_object_get(defined, name)) return json_string(name);
      json_object_set_new(defined, name, json_true());
      return json_pack("{s:s,s:s,s:i}", "type", "fixed", "name", name, "size",
                       (int)t->length);
    case IB_TYPE_DECIMAL:
      snprintf(name, sizeof(name), "decimal_%d_%d", (int)t->precision, (int)t->scale);
      if (json_object_get(defined, name)) return json_string(name);
      json_object_set_new(defined, name, json_true());
      o = json_pack("{s:s,s:s,s:i,s:s,s:i,s:i}", "type", "fixed", "name", name, "size",
                    ib_decimal_bytes_for_precision(t->precision), "logicalType",
                    "decimal", "precision", (int)t->precision, "scale", (int)t->scale);
      return o;
    default:
      return NULL;
  }
}

static int partition_record(const struct ib_schema *schema,
                            const struct ib_partition_spec *spec, json_t **out,
                            struct ice_error *err) {
  json_t *fields = json_array();
  json_t *defined = json_object();
  json_t *rec =
      json_pack("{s:s,s:s,s:o}", "type", "record", "name", "r102", "fields", fields);
  if (rec == NULL || defined == NULL) {
    json_decref(defined);
    json_decref(rec);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  int rc = ICE_OK;
  for (size_t i = 0; i < spec->n_fields && rc == ICE_OK; i++) {
    const struct ib_partition_field *pf = &spec->fields[i];
    struct ib_type t;
    rc = ib_partition_result_type(pf, schema, &t, err);
    if (rc != ICE_OK) break;
    char *safe = NULL;
    rc = ib_avro_safe_name(pf->name, &safe, err);
    if (rc != ICE_OK) break;
    json_t *at = partition_avro_type(&t, defined);
    json_t *f = at ? json_pack("{s:s,s:[s,o],s:n,s:i}", "name", safe, "type", "null", at,
                               "default", "field-id", (int)pf->field_id)
                   : NULL;
    if (f != NULL && strcmp(safe, pf->name) != 0)
      json_object_set_new(f, "iceberg-field-name", json_string(pf->name));
    ice_free(safe);
    if (f == NULL || json_array_append_new(fields, f) != 0)
      rc = ice_error_set(err, ICE_EUNSUPPORTED, "partition field '%.100s': no Avro type",
                         pf->name);
  }
  json_decref(defined);
  if (rc != ICE_OK) {
    json_decref(rec);
    return rc;
  }
  *out = rec;
  return ICE_OK;
}

int ib_manifest_entry_avro_schema(const struct ib_schema *schema,
                                  const struct ib_partition_spec *spec, char **out,
                                  struct ice_error *err) {
  json_t *rec;
  ICE_TRY(partition_record(schema, spec, &rec, err));
  char *part = NULL;
  int rc = ib_json_dump(rec, JSON_COMPACT | JSON_PRESERVE_ORDER, &part, NULL, err);
  json_decref(rec);
  ICE_TRY(rc);
  static const char head[] =
      "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
      "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
      "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"field-id\":1,\"default\":"
      "null},"
      "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"field-id\":3,"
      "\"default\":null},"
      "{\"name\":\"file_sequence_number\",\"type\":[\"null\",\"long\"],\"field-id\":4,"
      "\"default\":null},"
      "{\"name\":\"data_file\",\"field-id\":2,\"type\":{\"type\":\"record\",\"name\":"
      "\"r2\",\"fields\":["
      "{\"name\":\"content\",\"type\":\"int\",\"field-id\":134},"
      "{\"name\":\"file_path\",\"type\":\"string\",\"field-id\":100},"
      "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
      "{\"name\":\"partition\",\"type\":";
  static const char mid[] = ",\"field-id\":102},";
  static const char tail[] = "]}}]}";
  size_t n =
      strlen(head) + strlen(part) + strlen(mid) + strlen(k_data_file_tail) + strlen(tail);
  char *s = ice_malloc(n + 1);
  if (s == NULL) {
    ice_free(part);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  snprintf(s, n + 1, "%s%s%s%s%s", head, part, mid, k_data_file_tail, tail);
  ice_free(part);
  *out = s;
  return ICE_OK;
}
