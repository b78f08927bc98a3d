/* SPDX-License-Identifier: Apache-2.0 */
/* Common declaration for fuzz targets (libFuzzer entry point). */
#ifndef ICE_FUZZ_H
#define ICE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
