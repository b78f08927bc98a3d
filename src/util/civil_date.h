/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Days since 1970-01-01 to a proleptic Gregorian date, and the floor division that
 * splits timestamps into days and time of day: for the year/month transforms and for
 * dates and timestamps shown in messages.
 */
#ifndef ICE_UTIL_CIVIL_DATE_H
#define ICE_UTIL_CIVIL_DATE_H

#include <stdint.h>

/* a / b rounded toward negative infinity (b > 0). */
static inline int64_t ice_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* The date `days` after 1970-01-01 (negative: before): year, month 1..12, day 1..31.
 * |days| must stay below 2^62 (any date32, or the days of any int64 timestamp). */
void ice_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

#endif
