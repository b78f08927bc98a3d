/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FileIO (src/io/io_fileio.h) on real files in a temp folder: scheme dispatch
 * (file: URIs and plain paths are local, s3:/s3a: objects, others ICE_EUNSUPPORTED
 * naming the scheme), create/finish/abort, delete, the folders a create made and their removal,
 * prefix listing (flat and recursive, locations given back in the caller's form), the
 * location map (first match, literal rest, bad entries) and the write roots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "io/io_fileio.h"
#include "util/alloc.h"

static char g_dir[256];

static void make_temp(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_fileio_XXXXXX");
  if (mkdtemp(g_dir) == NULL) abort();
}

static void cleanup(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "  cleanup of %s failed\n", g_dir);
}

/* "<scheme><temp dir>/<rel>" in one of a few rotating buffers. */
static const char *at(const char *scheme, const char *rel) {
  static char buf[4][512];
  static int k;
  char *b = buf[k++ % 4];
  snprintf(b, 512, "%s%s/%s", scheme, g_dir, rel);
  return b;
}
#define P(rel) at("", rel)         /* plain path */
#define U(rel) at("file:", rel)    /* file: URI */
#define U3(rel) at("file://", rel) /* file:/// URI */

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Writes text to location through f, finished. */
static int put(struct io_fileio *f, const char *location, const char *text,
               struct ice_error *err) {
  struct ice_output *o = NULL;
  ICE_TRY(io_fileio_create(f, location, NULL, NULL, &o, err));
  int rc = ice_output_write(o, text, strlen(text), err);
  if (rc == ICE_OK) rc = ice_output_finish(o, err);
  ice_output_close(o);
  return rc;
}

/* Reads location through f into buf (NUL-terminated). */
static int get(struct io_fileio *f, const char *location, char *buf, size_t cap,
               struct ice_error *err) {
  struct ice_input *in = NULL;
  ICE_TRY(io_fileio_open_input(f, location, &in, err));
  int rc = (size_t)in->size < cap ? ICE_OK : ICE_ELIMIT;
  if (rc == ICE_OK) rc = ice_input_read_at(in, 0, buf, (size_t)in->size, err);
  if (rc == ICE_OK) buf[in->size] = '\0';
  ice_input_close(in);
  return rc;
}

static struct io_fileio *rooted(void) {
  struct io_fileio *f = NULL;
  struct ice_error err;
  CHECK_OK(io_fileio_new(&f, &err), &err);
  CHECK_OK(io_fileio_allow(f, g_dir, &err), &err);
  return f;
}

static void test_schemes(void) {
  struct io_fileio *f = rooted();
  struct ice_error err;
  char buf[64];
  /* file:/p, file:///p and /p reach the same local file. */
  CHECK_OK(put(f, U("a/x.txt"), "one", &err), &err);
  CHECK_OK(get(f, P("a/x.txt"), buf, sizeof buf, &err), &err);
  CHECK_EQ_STR(buf, "one");
  CHECK_OK(get(f, U3("a/x.txt"), buf, sizeof buf, &err), &err);
  CHECK_EQ_STR(buf, "one");
  CHECK_EQ_INT(io_fileio_exists(f, U("a/x.txt")), 1);
  CHECK_EQ_INT(io_fileio_exists(f, U("a/none.txt")), 0);
  /* S3 without credentials: refused before any request; outside the roots: refused.
   * Other schemes: unsupported, naming the scheme. */
  struct ice_output *o = NULL;
  struct ice_input *in = NULL;
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  CHECK_EQ_INT(io_fileio_open_input(f, "s3://bucket/t/x.avro", &in, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "no credentials") != NULL);
  CHECK_EQ_INT(io_fileio_create(f, "s3a://bucket/t/x.avro", NULL, NULL, &o, &err),
               ICE_EAUTH);
  CHECK(strstr(err.message, "s3://bucket/t/x.avro") != NULL);
  char *s3p = NULL;
  CHECK_OK(io_fileio_local_path(f, "s3a://bucket/t/", &s3p, &err), &err);
  CHECK_EQ_STR(s3p, "s3://bucket/t");
  ice_free(s3p);
  CHECK_EQ_INT(io_fileio_local_path(f, "s3://B_d/t", &s3p, &err), ICE_EINVAL);
  CHECK_EQ_INT(io_fileio_delete(f, "gs://b/x", &err), ICE_EUNSUPPORTED);
  CHECK(strstr(err.message, "scheme 'gs:'") != NULL);
  char *p = NULL;
  CHECK_EQ_INT(io_fileio_local_path(f, "relative/x", &p, &err), ICE_EINVAL);
  CHECK_EQ_INT(io_fileio_local_path(f, "file://host/x", &p, &err), ICE_EINVAL);
  CHECK(o == NULL && in == NULL && p == NULL);
  /* A missing file is ICE_ENOTFOUND naming the location. */
  CHECK_EQ_INT(get(f, U("missing"), buf, sizeof buf, &err), ICE_ENOTFOUND);
  CHECK(strncmp(err.message, U("missing: cannot open"),
                strlen(U("missing: cannot open"))) == 0);
  io_fileio_free(f);
}

static void test_create_finish_abort(void) {
  struct io_fileio *f = rooted();
  struct ice_error err;
  /* Exclusive: a second create of the same location fails, the first file stays. */
  CHECK_OK(put(f, P("c/kept"), "v1", &err), &err);
  CHECK_EQ_INT(put(f, P("c/kept"), "v2", &err), ICE_EEXISTS);
  char buf[16];
  CHECK_OK(get(f, P("c/kept"), buf, sizeof buf, &err), &err);
  CHECK_EQ_STR(buf, "v1");
  /* Abort removes the partial file; closing unfinished does too. */
  struct ice_output *o = NULL;
  CHECK_OK(io_fileio_create(f, P("c/aborted"), NULL, NULL, &o, &err), &err);
  CHECK_OK(ice_output_write(o, "xx", 2, &err), &err);
  ice_output_abort(o);
  ice_output_close(o);
  CHECK(!exists(P("c/aborted")));
  CHECK_OK(io_fileio_create(f, P("c/unfinished"), NULL, NULL, &o, &err), &err);
  ice_output_close(o);
  CHECK(!exists(P("c/unfinished")));
  io_fileio_free(f);
}

static void test_delete_and_made_dirs(void) {
  struct io_fileio *f = rooted();
  struct ice_error err;
  struct io_str_list made = {0};
  struct ice_output *o = NULL;
  CHECK_OK(io_fileio_create(f, U("d/e/f/x"), &made, NULL, &o, &err), &err);
  CHECK_OK(ice_output_finish(o, &err), &err);
  ice_output_close(o);
  CHECK_EQ_INT(made.n, 3); /* d, d/e, d/e/f, outermost first */
  if (made.n == 3) CHECK_EQ_STR(made.items[0], P("d"));
  CHECK_OK(io_fileio_delete(f, U("d/e/f/x"), &err), &err);
  CHECK(!exists(P("d/e/f/x")));
  /* Deleting what is not there is fine. */
  CHECK_OK(io_fileio_delete(f, U("d/e/f/x"), &err), &err);
  /* A folder someone else filled meanwhile stays. */
  CHECK_OK(put(f, P("d/other"), "o", &err), &err);
  io_fileio_remove_made_dirs(f, &made);
  CHECK_EQ_INT(made.n, 0);
  CHECK(!exists(P("d/e")));
  CHECK(exists(P("d/other")));
  io_fileio_free(f);
}

struct seen {
  char names[16][256];
  int64_t sizes[16];
  int n;
};

static int note(void *user, const struct io_file_entry *e, struct ice_error *err) {
  (void)err;
  struct seen *s = user;
  if (s->n < 16) {
    snprintf(s->names[s->n], sizeof s->names[0], "%s", e->location);
    s->sizes[s->n] = e->size;
  }
  s->n++;
  return ICE_OK;
}

static int saw(const struct seen *s, const char *location) {
  for (int i = 0; i < s->n && i < 16; i++)
    if (strcmp(s->names[i], location) == 0) return 1;
  return 0;
}

static void test_listing(void) {
  struct io_fileio *f = rooted();
  struct ice_error err;
  CHECK_OK(put(f, P("l/m/a.json"), "12", &err), &err);
  CHECK_OK(put(f, P("l/m/ab.json"), "123", &err), &err);
  CHECK_OK(put(f, P("l/m/b.json"), "1", &err), &err);
  CHECK_OK(put(f, P("l/m/sub/c.json"), "1", &err), &err);
  CHECK_OK(put(f, P("l/m/ax/d.json"), "1", &err), &err);
  struct seen s = {0};
  /* A folder, flat: direct children only, in the form asked. */
  CHECK_OK(io_fileio_list(f, U("l/m/"), false, note, &s, &err), &err);
  CHECK_EQ_INT(s.n, 3);
  CHECK(saw(&s, U("l/m/ab.json")));
  /* Recursive: sub-folders too. */
  memset(&s, 0, sizeof s);
  CHECK_OK(io_fileio_list(f, P("l/m/"), true, note, &s, &err), &err);
  CHECK_EQ_INT(s.n, 5);
  CHECK(saw(&s, P("l/m/sub/c.json")));
  /* A name prefix: "a" matches a.json, ab.json and everything under ax/. */
  memset(&s, 0, sizeof s);
  CHECK_OK(io_fileio_list(f, P("l/m/a"), true, note, &s, &err), &err);
  CHECK_EQ_INT(s.n, 3);
  CHECK(saw(&s, P("l/m/ax/d.json")));
  CHECK(!saw(&s, P("l/m/b.json")));
  for (int i = 0; i < s.n; i++)
    if (strcmp(s.names[i], P("l/m/ab.json")) == 0) CHECK_EQ_INT(s.sizes[i], 3);
  /* Nothing there: no files, no error. */
  memset(&s, 0, sizeof s);
  CHECK_OK(io_fileio_list(f, P("nowhere/"), true, note, &s, &err), &err);
  CHECK_EQ_INT(s.n, 0);
  io_fileio_free(f);
}

static void test_location_map(void) {
  struct io_fileio *f = rooted();
  struct ice_error err;
  char entry[600];
  /* The first matching entry wins; the rest of the location is appended literally. */
  snprintf(entry, sizeof entry, "s3a://bucket/t=%s/copy", g_dir);
  CHECK_OK(io_fileio_add_map(f, entry, "--location-map", &err), &err);
  snprintf(entry, sizeof entry, "s3a://bucket=%s/never", g_dir);
  CHECK_OK(io_fileio_add_map(f, entry, "--location-map", &err), &err);
  CHECK_EQ_INT(io_fileio_map_size(f), 2);
  CHECK_OK(put(f, "s3a://bucket/t/metadata/v1.json", "mapped", &err), &err);
  CHECK(exists(P("copy/metadata/v1.json")));
  char buf[16];
  CHECK_OK(get(f, "s3a://bucket/t/metadata/v1.json", buf, sizeof buf, &err), &err);
  CHECK_EQ_STR(buf, "mapped");
  /* A listing gives locations back in the mapped form. */
  struct seen s = {0};
  CHECK_OK(io_fileio_list(f, "s3a://bucket/t/metadata/", false, note, &s, &err), &err);
  CHECK_EQ_INT(s.n, 1);
  CHECK(saw(&s, "s3a://bucket/t/metadata/v1.json"));
  /* A missing mapped file names the location and the local file. */
  CHECK_EQ_INT(get(f, "s3a://bucket/t/gone", buf, sizeof buf, &err), ICE_ENOTFOUND);
  CHECK(strstr(err.message, "s3a://bucket/t/gone: cannot open") != NULL);
  CHECK(strstr(err.message, P("copy/gone")) != NULL);
  /* Unmapped object-store locations go to the object store (no credentials here). */
  CHECK_EQ_INT(get(f, "s3a://other/x", buf, sizeof buf, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "no credentials") != NULL);
  CHECK_EQ_INT(get(f, "gs://other/x", buf, sizeof buf, &err), ICE_EUNSUPPORTED);
  /* Bad entries: no '=', empty prefix, empty or relative target; named with source. */
  const char *bad[] = {"no-equals", "=/abs", "s3a://b/t=", "s3a://b/t=rel/dir"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK_EQ_INT(io_fileio_add_map(f, bad[i], "--location-map", &err), ICE_EINVAL);
    CHECK(strstr(err.message, "--location-map entry") != NULL);
  }
  /* PREFIX ends at the first "=/": a prefix may hold Hive-style k=v folders. */
  snprintf(entry, sizeof entry, "s3a://b/k=v/t=%s/hive", g_dir);
  CHECK_OK(io_fileio_add_map(f, entry, "--location-map", &err), &err);
  char *hive = NULL;
  CHECK_OK(io_fileio_local_path(f, "s3a://b/k=v/t/x", &hive, &err), &err);
  CHECK_EQ_STR(hive, P("hive/x"));
  ice_free(hive);
  /* Checking an entry adds nothing. */
  CHECK_OK(io_fileio_check_map("s3://b=/x", "location-map", &err), &err);
  CHECK_EQ_INT(io_fileio_check_map("s3://b=x", "location-map", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_fileio_map_size(f), 3);
  /* The variable's form: ';'-separated, empty entries skipped. */
  struct io_fileio *g = NULL;
  CHECK_OK(io_fileio_new(&g, &err), &err);
  CHECK_OK(io_fileio_add_map_list(g, "a=/x;;b=/y;", "ICESTREAM_LOCATION_MAP", &err),
           &err);
  CHECK_EQ_INT(io_fileio_map_size(g), 2);
  CHECK_EQ_INT(io_fileio_add_map_list(g, "c=/z;d=", "ICESTREAM_LOCATION_MAP", &err),
               ICE_EINVAL);
  CHECK(strstr(err.message, "ICESTREAM_LOCATION_MAP entry 'd='") != NULL);
  io_fileio_free(g);
  io_fileio_free(f);
}

static void test_write_roots(void) {
  struct io_fileio *f = NULL;
  struct ice_error err;
  CHECK_OK(io_fileio_new(&f, &err), &err);
  /* No root: nothing may be written, reads still work. */
  CHECK_EQ_INT(put(f, P("r/x"), "x", &err), ICE_EAUTH);
  CHECK(strstr(err.message, P("r/x")) != NULL);
  CHECK(!exists(P("r")));
  CHECK_OK(io_fileio_allow(f, U("r/./ok/"), &err), &err);
  CHECK_OK(put(f, P("r/ok/x"), "x", &err), &err);
  /* Lexical containment: ".." cannot climb out, a sibling with a longer name is out. */
  CHECK_EQ_INT(put(f, P("r/ok/../evil"), "x", &err), ICE_EAUTH);
  CHECK_EQ_INT(put(f, P("r/ok2/x"), "x", &err), ICE_EAUTH);
  CHECK_EQ_INT(io_fileio_delete(f, P("r/ok/../x"), &err), ICE_EAUTH);
  bool yes = true;
  char *where = NULL;
  CHECK_OK(io_fileio_may_write(f, U("r/ok/a/../b"), &yes, &where, &err), &err);
  CHECK(yes);
  CHECK_EQ_STR(where, P("r/ok/b"));
  ice_free(where);
  CHECK_OK(io_fileio_may_write(f, P("r/elsewhere"), &yes, NULL, &err), &err);
  CHECK(!yes);
  /* A relative root is taken from the current directory; S3 prefixes are roots of
   * their own (s3a: judged as s3:); other schemes are refused. */
  CHECK_OK(io_fileio_allow(f, "s3://bucket/t/", &err), &err);
  CHECK_OK(io_fileio_may_write(f, "s3a://bucket/t/x", &yes, NULL, &err), &err);
  CHECK(yes);
  CHECK_OK(io_fileio_may_write(f, "s3://bucket/t2/x", &yes, NULL, &err), &err);
  CHECK(!yes);
  CHECK_OK(io_fileio_may_write(f, "s3://other/t/x", &yes, NULL, &err), &err);
  CHECK(!yes);
  CHECK_EQ_INT(io_fileio_allow(f, "gs://bucket/t", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_fileio_allow(f, "", &err), ICE_EINVAL);
  char cwd[512];
  if (getcwd(cwd, sizeof cwd) == NULL) abort();
  if (chdir(g_dir) != 0) abort();
  CHECK_OK(io_fileio_allow(f, "rel", &err), &err);
  if (chdir(cwd) != 0) abort();
  CHECK_OK(put(f, P("rel/x"), "x", &err), &err);
  io_fileio_free(f);
}

int main(void) {
  make_temp();
  ICE_RUN(test_schemes);
  ICE_RUN(test_create_finish_abort);
  ICE_RUN(test_delete_and_made_dirs);
  ICE_RUN(test_listing);
  ICE_RUN(test_location_map);
  ICE_RUN(test_write_roots);
  cleanup();
  ICE_TEST_EXIT();
}
