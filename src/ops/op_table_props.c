/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A new table's properties (op_table_props.h): one set of rules for every way a table
 * is created (a load that creates it, `create`, the API), checked before anything is
 * written.
 */
#include "ops/op_table_props.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op_commit.h"
#include "ops/op_retry.h"

int op_take_format_version(struct ib_str_map *props, int *version,
                           struct ice_error *err) {
  const char *v = ib_str_map_get(props, "format-version");
  *version = 2;
  if (v == NULL) return ICE_OK;
  if (strcmp(v, "2") == 0) {
    *version = 2;
  } else if (strcmp(v, "3") == 0) {
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "format-version 3 tables cannot be created yet; use format-version 2");
  } else {
    ICE_FAIL(err, ICE_EINVAL, "format-version must be 2 (got '%s')", v);
  }
  (void)ib_str_map_remove(props, "format-version");
  return ICE_OK;
}

int op_table_props_writer_options(const struct ib_str_map *p, struct wr_options *o,
                                  struct ice_error *err) {
  for (size_t i = 0; i < p->n; i++) {
    const char *k = p->keys[i];
    if (strncmp(k, "write.parquet.", 14) != 0 &&
        strcmp(k, "write.target-file-size-bytes") != 0 &&
        strncmp(k, "write.metadata.metrics.", 23) != 0)
      continue;
    const char *kv[3] = {k, p->values[i], NULL};
    int rc = wr_options_apply(o, kv, err);
    if (rc == ICE_OK) continue;
    /* Name the property once: the writer's message may start with it already. */
    if (err != NULL && strncmp(err->message, "property ", 9) == 0) {
      char was[sizeof err->message];
      memcpy(was, err->message, sizeof was);
      snprintf(err->message, sizeof err->message, "table %.*s", (int)sizeof was - 7, was);
      return rc;
    }
    return ice_error_prefix(err, "table property %s", k);
  }
  return ICE_OK;
}

/* The writer's message names the data key it was given (write.parquet.x); the table
 * has write.delete.parquet.x, so that is the one to name. */
static int delete_prop_error(struct ice_error *err, const char *key,
                             const char *data_key) {
  if (err == NULL) return ICE_EINVAL;
  char was[sizeof err->message], lead[300];
  memcpy(was, err->message, sizeof was);
  int n = snprintf(lead, sizeof lead, "property %s: ", data_key);
  if (n > 0 && (size_t)n < sizeof lead && strncmp(was, lead, (size_t)n) == 0)
    snprintf(err->message, sizeof err->message, "table property %s: %.400s", key,
             was + n);
  else if (strncmp(was, "unknown write property", 22) == 0)
    snprintf(err->message, sizeof err->message, "unknown table property '%.400s'", key);
  else
    return ice_error_prefix(err, "table property %s", key);
  return err->code;
}

int op_table_props_delete_writer_options(const struct ib_str_map *p, struct wr_options *o,
                                         struct ice_error *err) {
  ICE_TRY(op_table_props_writer_options(p, o, err));
  o->target_file_bytes = OP_DELETE_TARGET_FILE_BYTES;
  static const char prefix[] = "write.delete.parquet.";
  for (size_t i = 0; i < p->n; i++) {
    const char *k = p->keys[i];
    char data_key[256];
    if (strcmp(k, "write.delete.target-file-size-bytes") == 0) {
      snprintf(data_key, sizeof data_key, "write.target-file-size-bytes");
    } else if (strncmp(k, prefix, sizeof prefix - 1) == 0) {
      /* A key too long for the buffer is no writer property either: cut, it fails. */
      snprintf(data_key, sizeof data_key, "write.parquet.%s", k + sizeof prefix - 1);
    } else {
      continue;
    }
    const char *kv[3] = {data_key, p->values[i], NULL};
    int rc = wr_options_apply(o, kv, err);
    if (rc != ICE_OK) return delete_prop_error(err, k, data_key);
  }
  return ICE_OK;
}

int op_table_props_max_open_files(const struct ib_str_map *p, int64_t *out,
                                  struct ice_error *err) {
  static const char key[] = "write.partition.max-open-files";
  *out = 0;
  const char *v = ib_str_map_get(p, key);
  if (v == NULL) return ICE_OK;
  char *end = NULL;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || x < 1 || x > 1000000)
    ICE_FAIL(err, ICE_EINVAL, "property %s: '%s' is not an integer in 1..1000000", key, v);
  *out = x;
  return ICE_OK;
}

int op_table_props_validate(const struct ib_str_map *p, struct ice_error *err) {
  struct op_retry_policy policy;
  ICE_TRY(op_retry_policy_from_props(p, &policy, err));
  int64_t max_open;
  ICE_TRY(op_table_props_max_open_files(p, &max_open, err));
  const char *mc = ib_str_map_get(p, "write.manifest.compression-codec"), *avro_codec;
  if (mc != NULL) ICE_TRY(op_manifest_codec_named(mc, &avro_codec, err));
  struct wr_options o;
  wr_options_init(&o);
  int rc = op_table_props_delete_writer_options(p, &o, err);
  wr_options_reset(&o);
  return rc;
}
