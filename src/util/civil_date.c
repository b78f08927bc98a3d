/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_civil_from_days (civil_date.h): the 400-year era decomposition. Counting from
 * 0000-03-01 puts the leap day last in each year, so the day of the year maps to the
 * month with one linear formula (153 days per 5 months from March).
 */
#include "util/civil_date.h"

void ice_civil_from_days(int64_t days, int64_t *year, int *month, int *day) {
  const int64_t z = days + 719468; /* days since 0000-03-01 */
  const int64_t era = ice_floor_div(z, 146097);
  const int64_t doe = z - era * 146097; /* [0, 146096] */
  const int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0, 399] */
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
  const int64_t mp = (5 * doy + 2) / 153;                      /* [0, 11], March = 0 */
  const int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = m;
  *year = yoe + era * 400 + (m <= 2 ? 1 : 0);
}
