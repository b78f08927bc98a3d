/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text forms of single values, shared by the JSONL and CSV renderers. The forms are the
 * contract the interop tests compare against other readers (see README "cat"):
 * shortest round-trip floats, exact decimals, ISO dates and times with fixed fraction
 * digits, base64 bytes, RFC 4122 UUIDs, and UTF-8 repaired with U+FFFD.
 */
#ifndef ICE_CLI_RENDER_SCALAR_H
#define ICE_CLI_RENDER_SCALAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli_out.h"

void render_i64(struct cli_out *o, int64_t v);
void render_u64(struct cli_out *o, uint64_t v);

/* Shortest "%.{1..17}g" text that strtod() reads back as v. NaN and infinities become
 * NaN / Infinity / -Infinity, wrapped in double quotes when `quote_special` (JSON). */
void render_f64(struct cli_out *o, double v, bool quote_special);
/* Same for float with strtof() and at most 9 digits. */
void render_f32(struct cli_out *o, float v, bool quote_special);
/* IEEE half-precision bits, rendered as the float they denote. */
void render_f16(struct cli_out *o, uint16_t bits, bool quote_special);

/* Little-endian two's complement integer of `nbytes` (4, 8, 16 or 32) with `scale`
 * digits after the point ("-12.30"); negative scales append zeros. */
void render_decimal(struct cli_out *o, const uint8_t *le, int nbytes, int32_t scale);

/* Proleptic Gregorian date of a day count since 1970-01-01: YYYY-MM-DD, years outside
 * 0..9999 as "+YYYYY" / "-YYYY" (ISO 8601 expanded, astronomical year numbering). */
void render_date(struct cli_out *o, int64_t days);
/* Time of day: HH:MM:SS.ffffff (9 fraction digits for nanoseconds). */
void render_time(struct cli_out *o, int64_t v, int unit);
/* Timestamp: date "T" time, plus "Z" when utc. */
void render_timestamp(struct cli_out *o, int64_t v, int unit, bool utc);
/* INT96 (8 bytes little-endian nanoseconds of day, 4 bytes little-endian Julian day,
 * both signed) as a timestamp with 9 fraction digits. Exact within int64 microseconds
 * (about +-290000 years); beyond, the instant wraps modulo 2^64 microseconds as Spark's
 * writer and reader do, which recovers the values Spark stores past that range. */
void render_int96(struct cli_out *o, const uint8_t *b12);

void render_uuid(struct cli_out *o, const uint8_t *b16);
void render_base64(struct cli_out *o, const uint8_t *p, size_t n);

/* A JSON string literal (with quotes): escapes '"', '\\' and control characters;
 * every invalid UTF-8 sequence (maximal subpart, as WHATWG TextDecoder) becomes the
 * escape \ufffd. */
void render_json_string(struct cli_out *o, const uint8_t *p, size_t n);
/* Raw text with invalid UTF-8 replaced by U+FFFD (for CSV). */
void render_utf8_text(struct cli_out *o, const uint8_t *p, size_t n);

#endif /* ICE_CLI_RENDER_SCALAR_H */
