/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32 (see crc32.h): zlib's crc32() fed in pieces its uInt length can hold. */
#include "util/crc32.h"

#include <limits.h>
#include <zlib.h>

uint32_t ice_crc32(uint32_t crc, const void *data, size_t n) {
  const Bytef *p = data;
  uLong c = crc;
  while (n > 0) {
    uInt chunk = n > UINT_MAX ? UINT_MAX : (uInt)n;
    c = crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return (uint32_t)c;
}
