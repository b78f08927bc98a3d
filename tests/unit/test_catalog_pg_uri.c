/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL catalog URIs: which ones are recognized, and every password masked in the
 * form messages show (user part and password= parameters, wherever they are). */
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static void expect_redacted(const char *uri, const char *want) {
  struct ice_error err;
  char *got = NULL;
  CHECK_OK(cat_pg_uri_redact(uri, &got, &err), &err);
  if (got != NULL) CHECK_EQ_STR(got, want);
  ice_free(got);
}

static void test_recognized(void) {
  CHECK(cat_pg_uri_is("postgresql://u@h/db"));
  CHECK(cat_pg_uri_is("postgres://h"));
  CHECK(!cat_pg_uri_is("postgresql:/h"));
  CHECK(!cat_pg_uri_is("sqlite:x.db"));
  CHECK(!cat_pg_uri_is("Postgresql://h"));
  CHECK(!cat_pg_uri_is(NULL));
}

static void test_redact(void) {
  expect_redacted("postgresql://u@h:5432/db", "postgresql://u@h:5432/db");
  expect_redacted("postgresql://u:secret@h:5432/db", "postgresql://u:***@h:5432/db");
  expect_redacted("postgres://u:se:cr@et@h/db", "postgres://u:***@h/db");
  expect_redacted("postgresql://u:@h/db", "postgresql://u:***@h/db");
  expect_redacted("postgresql://h:5432/db?password=secret",
                  "postgresql://h:5432/db?password=***");
  expect_redacted("postgresql://u@/db?host=/tmp/s&password=secret&port=5",
                  "postgresql://u@/db?host=/tmp/s&password=***&port=5");
  expect_redacted("postgresql://u:a@h/db?password=b&password=c",
                  "postgresql://u:***@h/db?password=***&password=***");
  /* An '@' after the authority is not a user part. */
  expect_redacted("postgresql://h/db?application_name=a:b@c",
                  "postgresql://h/db?application_name=a:b@c");
  expect_redacted("postgresql://", "postgresql://");
  expect_redacted("postgresql://u:p@", "postgresql://u:***@");
  /* Short and odd inputs stay in bounds. */
  expect_redacted("postgresql://?password=", "postgresql://?password=***");
  expect_redacted("postgresql://?&&&password=x&", "postgresql://?&&&password=***&");
}

int main(void) {
  ICE_RUN(test_recognized);
  ICE_RUN(test_redact);
  ICE_TEST_EXIT();
}
