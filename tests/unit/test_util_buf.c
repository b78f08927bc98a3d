/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the bounded buffer and error helpers. */
#include "harness/ice_test.h"
#include "util/alloc.h"
#include "util/buf.h"

static void test_buf_grows_until_limit(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 100);
  CHECK_OK(ice_buf_append(&b, "hello", 5, &err), &err);
  CHECK_EQ_INT(b.len, 5);
  uint8_t big[200] = {0};
  CHECK_EQ_INT(ice_buf_append(&b, big, 96, &err), ICE_ELIMIT);
  CHECK_EQ_INT(b.len, 5);
  CHECK_OK(ice_buf_append(&b, big, 95, &err), &err);
  CHECK_EQ_INT(b.len, 100);
  ice_buf_reset(&b);
  ice_buf_reset(&b);
}

static void test_error_prefix_chains(void) {
  struct ice_error err;
  ice_error_set(&err, ICE_ECORRUPT, "bad page %d", 3);
  ice_error_prefix(&err, "column '%s'", "id");
  CHECK_EQ_STR(err.message, "column 'id': bad page 3");
  CHECK_EQ_INT(err.code, ICE_ECORRUPT);
  CHECK_EQ_STR(ice_code_name(ICE_ECONFLICT), "ICE_ECONFLICT");
}

static void test_alloc_fault_injection(void) {
  ice_alloc_fail_after(2);
  void *a = ice_malloc(10);
  void *b = ice_malloc(10);
  void *c = ice_malloc(10);
  CHECK(a != NULL);
  CHECK(b == NULL);
  CHECK(c != NULL);
  ice_free(a);
  ice_free(c);
}

int main(void) {
  ICE_RUN(test_buf_grows_until_limit);
  ICE_RUN(test_error_prefix_chains);
  ICE_RUN(test_alloc_fault_injection);
  ICE_TEST_EXIT();
}
