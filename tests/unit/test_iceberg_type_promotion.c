/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The spec's primitive type promotions (reference: Iceberg spec, schema evolution):
 * int -> long, float -> double, decimal(P,S) -> decimal(P',S) with P' >= P; nothing
 * else, and never the other way.
 */
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_types.h"

static struct ib_type prim(const char *s) {
  struct ib_type t;
  struct ice_error err;
  memset(&t, 0, sizeof t);
  CHECK_OK(ib_type_parse_primitive(s, &t, &err), &err);
  return t;
}

static void test_promotions(void) {
  static const struct {
    const char *from, *to;
    bool ok;
  } cases[] = {
      {"int", "long", true},
      {"float", "double", true},
      {"decimal(9,2)", "decimal(18,2)", true},
      {"decimal(9,2)", "decimal(9,2)", true},
      {"string", "string", true},
      {"fixed[16]", "fixed[16]", true},
      {"long", "int", false},
      {"double", "float", false},
      {"decimal(18,2)", "decimal(9,2)", false},
      {"decimal(9,2)", "decimal(18,3)", false},
      {"int", "double", false},
      {"int", "string", false},
      {"date", "timestamp", false},
      {"fixed[16]", "fixed[8]", false},
      {"fixed[8]", "binary", false},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    struct ib_type a = prim(cases[k].from), b = prim(cases[k].to);
    CHECK(ib_type_promotes_to(&a, &b) == cases[k].ok);
    ib_type_reset(&a);
    ib_type_reset(&b);
  }
}

int main(void) {
  ICE_RUN(test_promotions);
  ICE_TEST_EXIT();
}
