/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes op_key_format (encoded merge keys come back from spill files). Input: one byte
 * giving the column count (1..4), one byte per column choosing its type from the table
 * below, then the key bytes. Checked: no crash; on success the text is a NUL-terminated
 * C string of out->len bytes, valid UTF-8 (jansson accepts it) without control
 * characters, appended after what the buffer held, and the same on a second call; on
 * failure the buffer is unchanged.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ops/op_key_format.h"

static const char *const formats[] = {"b",    "c",       "s",       "i",    "l",    "f",
                                      "g",    "d:38,4",  "d:9,-2",  "w:3",  "w:16", "u",
                                      "z",    "tdD",     "tts",     "ttm",  "ttu",  "ttn",
                                      "tss:", "tsm:UTC", "tsu:UTC", "tsn:", "I",    "+s"};
#define N_FORMATS (sizeof formats / sizeof formats[0])
#define PREFIX "dup: "

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const size_t n = (size_t)(data[0] % 4) + 1;
  if (size < 1 + n) return 0;
  struct arrow_type types[4];
  const struct arrow_type *tp[4];
  const char *const names[4] = {"c0", "c1", "c2", "c3"};
  for (size_t i = 0; i < n; i++) {
    if (arrow_type_parse(formats[data[1 + i] % N_FORMATS], &types[i], NULL) != ICE_OK)
      abort();
    tp[i] = &types[i];
  }
  const uint8_t *key = data + 1 + n;
  const size_t len = size - 1 - n;
  struct ice_buf out, again;
  ice_buf_init(&out, 1 << 16);
  ice_buf_init(&again, 1 << 16);
  struct ice_error err;
  if (ice_buf_append(&out, PREFIX, strlen(PREFIX), &err) != ICE_OK) abort();
  const int rc = op_key_format(tp, names, n, key, len, &out, &err);
  if (rc == ICE_OK) {
    const char *text = (const char *)out.data;
    if (text[out.len] != '\0' || strlen(text) != out.len) abort();
    if (memcmp(text, PREFIX, strlen(PREFIX)) != 0) abort();
    for (size_t i = 0; i < out.len; i++)
      if ((uint8_t)text[i] < 0x20 || text[i] == 0x7f) abort();
    json_t *j = json_stringn(text, out.len);
    if (j == NULL) abort();
    json_decref(j);
    if (ice_buf_append(&again, PREFIX, strlen(PREFIX), &err) != ICE_OK ||
        op_key_format(tp, names, n, key, len, &again, &err) != ICE_OK ||
        again.len != out.len || memcmp(again.data, out.data, out.len) != 0)
      abort();
  } else if (out.len != strlen(PREFIX) || memcmp(out.data, PREFIX, out.len) != 0) {
    abort();
  }
  ice_buf_reset(&out);
  ice_buf_reset(&again);
  return 0;
}
