/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRC-32 with the IEEE/zlib polynomial (reflected 0x04C11DB7), as used by Parquet
 * page headers (PageHeader.crc) and gzip. Wraps zlib's crc32(), which is the fastest
 * implementation available from Debian.
 */
#ifndef ICE_UTIL_CRC32_H
#define ICE_UTIL_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC of n bytes. To checksum in pieces pass the previous result as `crc`; start
 * with 0. ice_crc32(0, "123456789", 9) == 0xCBF43926. */
uint32_t ice_crc32(uint32_t crc, const void *data, size_t n);

#endif
