/* SPDX-License-Identifier: Apache-2.0 */
/* How many partition writers a budget holds by default: a quarter of it in shares of
 * OP_PART_WRITER_SHARE, each share growing by what storage holds per open file (an S3
 * part buffer, charged to the same budget), so writers plus their parts stay within
 * half of it; between 4 and 4096 whatever the limit. */
#include "harness/ice_test.h"
#include "ops/op_part_writer.h"

#define MIB (1ll << 20)

static void test_default_max_open(void) {
  CHECK_EQ_INT(op_part_writer_default_max_open(256 * MIB, 0), 64);
  /* an S3 table with 8 MiB parts: 64 MiB / 9 MiB */
  CHECK_EQ_INT(op_part_writer_default_max_open(256 * MIB, 8 * MIB), 7);
  CHECK_EQ_INT(op_part_writer_default_max_open(4096 * MIB, 5 * MIB), 170);
  for (int64_t hold = 0; hold <= 64 * MIB; hold += 7 * MIB) {
    int64_t limit = 1024 * MIB, n = op_part_writer_default_max_open(limit, hold);
    CHECK(n * (OP_PART_WRITER_SHARE + hold) <= limit / 4);
  }
  CHECK_EQ_INT(op_part_writer_default_max_open(8 * MIB, 8 * MIB), 4);
  CHECK_EQ_INT(op_part_writer_default_max_open(1ll << 40, 0), 4096);
  CHECK_EQ_INT(op_part_writer_default_max_open(256 * MIB, -1), 64);
}

int main(void) {
  ICE_RUN(test_default_max_open);
  ICE_TEST_EXIT();
}
