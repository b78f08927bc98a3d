/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_error_prefix_path: a path given as context appears once in the message, whether
 * the inner message already starts with it, names it further on, or not at all.
 */
#include <string.h>

#include "harness/ice_test.h"
#include "util/error.h"

/* Sets err to MSG, adds WHAT PATH, checks the result and that the code is kept. */
static void check(const char *msg, const char *what, const char *path, const char *want) {
  struct ice_error err;
  ice_error_set(&err, ICE_EIO, "%s", msg);
  CHECK_EQ_INT(ice_error_prefix_path(&err, what, path), ICE_EIO);
  CHECK_EQ_STR(err.message, want);
}

static void test_path_not_named(void) {
  check("not an avro file", "manifest", "/w/m.avro", "manifest /w/m.avro: not an avro file");
  check("not an avro file", NULL, "/w/m.avro", "/w/m.avro: not an avro file");
  check("not an avro file", "", "/w/m.avro", "/w/m.avro: not an avro file");
  /* a longer path that merely starts with PATH is another file */
  check("/w/m.avro2: cannot open", "manifest", "/w/m.avro",
        "manifest /w/m.avro: /w/m.avro2: cannot open");
  /* no path: just the context */
  check("bad", "manifest", NULL, "manifest: bad");
  check("bad", "manifest", "", "manifest: bad");
}

static void test_path_at_start(void) {
  check("/w/m.avro: cannot open: No such file", "manifest", "/w/m.avro",
        "manifest /w/m.avro: cannot open: No such file");
  check("/w/m.avro: cannot open", NULL, "/w/m.avro", "/w/m.avro: cannot open");
  check("/w/d.parquet: read failed", "parquet:", "/w/d.parquet",
        "parquet: /w/d.parquet: read failed");
}

static void test_path_named_further_on(void) {
  check("parquet: /w/d.parquet: not a parquet file", NULL, "/w/d.parquet",
        "parquet: /w/d.parquet: not a parquet file");
  check("manifest /w/m.avro: not an avro file", "manifest", "/w/m.avro",
        "manifest /w/m.avro: not an avro file");
  check("parquet: /w/d.parquet: row group 0: bad", "parquet:", "/w/d.parquet",
        "parquet: /w/d.parquet: row group 0: bad");
}

static void test_long_context_truncates(void) {
  struct ice_error err;
  char what[600];
  memset(what, 'w', sizeof what - 1);
  what[sizeof what - 1] = '\0';
  ice_error_set(&err, ICE_ECORRUPT, "/p: bad");
  CHECK_EQ_INT(ice_error_prefix_path(&err, what, "/p"), ICE_ECORRUPT);
  CHECK(strlen(err.message) < sizeof err.message);
  CHECK(strncmp(err.message, "wwww", 4) == 0);
  CHECK_EQ_INT(ice_error_prefix_path(NULL, "x", "/p"), ICE_EINTERNAL);
}

int main(void) {
  ICE_RUN(test_path_not_named);
  ICE_RUN(test_path_at_start);
  ICE_RUN(test_path_named_further_on);
  ICE_RUN(test_long_context_truncates);
  ICE_TEST_EXIT();
}
