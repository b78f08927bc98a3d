/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL catalog URIs: which ones are recognized, and every password masked in the
 * form messages show (user part and password= parameters, wherever they are). */
#include <stdio.h>
#include <stdlib.h>
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

static void expect_scrubbed(const char *uri, const char *msg, const char *want) {
  char text[256];
  snprintf(text, sizeof text, "%s", msg);
  cat_pg_uri_scrub(uri, text);
  CHECK_EQ_STR(text, want);
}

/* libpq quotes parts of a URI it cannot parse; a password among them is masked. */
static void test_scrub(void) {
  expect_scrubbed("postgresql://u:pa%zzss@h/db",
                  "invalid percent-encoded token: \"pa%zzss\"",
                  "invalid percent-encoded token: \"***\"");
  expect_scrubbed("postgresql://h/db?password=sec%zz&x=1",
                  "bad token \"sec%zz\" and again sec%zz",
                  "bad token \"***\" and again ***");
  expect_scrubbed("postgresql://u:ab@h/db", "xabyab", "x**y**");
  expect_scrubbed("postgresql://u@h/db", "nothing secret", "nothing secret");
  setenv("PGPASSWORD", "env-secret", 1);
  expect_scrubbed("postgresql://u@h/db", "got env-secret!", "got ***!");
  unsetenv("PGPASSWORD");
}

int main(void) {
  ICE_RUN(test_recognized);
  ICE_RUN(test_redact);
  ICE_RUN(test_scrub);
  ICE_TEST_EXIT();
}
