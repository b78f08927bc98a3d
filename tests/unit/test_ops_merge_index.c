/* SPDX-License-Identifier: Apache-2.0 */
/* The merge's building blocks: the key map, the bit set and hash-partitioned spill
 * files (records back in put order per part, every record in the part of its key,
 * files gone on close, a dead process's folder removed by the next spill). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "ops/op_key_map.h"
#include "ops/op_spill.h"
#include "util/bitmap.h"
#include "util/bloom.h"
#include "util/mem_budget.h"

static void test_key_map_insert_find_walk(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64 << 20);
  struct op_key_map m;
  op_key_map_init(&m, sizeof(int64_t), &b);
  struct ice_error err;
  for (int64_t i = 0; i < 20000; i++) {
    char k[32];
    int n = snprintf(k, sizeof k, "key-%lld", (long long)i);
    uint64_t at;
    bool found = true;
    CHECK_OK(op_key_map_upsert(&m, (const uint8_t *)k, (size_t)n, &at, &found, &err),
             &err);
    CHECK(!found);
    int64_t zero;
    memcpy(&zero, op_key_map_value(&m, at), sizeof zero);
    CHECK_EQ_INT(zero, 0);
    int64_t v = i * 3;
    memcpy(op_key_map_value(&m, at), &v, sizeof v);
  }
  CHECK_EQ_INT(m.n, 20000);
  uint64_t at;
  bool found = false;
  CHECK_OK(op_key_map_upsert(&m, (const uint8_t *)"key-777", 7, &at, &found, &err), &err);
  CHECK(found);
  int64_t v;
  memcpy(&v, op_key_map_value(&m, at), sizeof v);
  CHECK_EQ_INT(v, 777 * 3);
  CHECK(!op_key_map_find(&m, (const uint8_t *)"key-20000", 9, &at));
  CHECK(op_key_map_find(&m, (const uint8_t *)"key-0", 5, &at));
  /* the empty key is a key like any other */
  CHECK_OK(op_key_map_upsert(&m, (const uint8_t *)"", 0, &at, &found, &err), &err);
  CHECK(!found);
  CHECK(op_key_map_find(&m, (const uint8_t *)"", 0, &at));
  /* walking visits every entry once, in insertion order */
  uint64_t pos = 0, e;
  int64_t seen = 0;
  while (op_key_map_next(&m, &e, &pos)) {
    size_t len;
    const uint8_t *k = op_key_map_key(&m, e, &len);
    if (seen < 20000) {
      char want[32];
      int n = snprintf(want, sizeof want, "key-%lld", (long long)seen);
      CHECK(len == (size_t)n && memcmp(k, want, len) == 0);
    }
    seen++;
  }
  CHECK_EQ_INT(seen, 20001);
  CHECK(b.used > 0);
  op_key_map_reset(&m);
  CHECK_EQ_INT(b.used, 0);
}

static void test_key_map_budget_limit(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64 << 10);
  struct op_key_map m;
  op_key_map_init(&m, 16, &b);
  struct ice_error err;
  int rc = ICE_OK;
  int64_t i = 0;
  for (; rc == ICE_OK && i < 100000; i++) {
    uint64_t at;
    bool found;
    rc = op_key_map_upsert(&m, (const uint8_t *)&i, sizeof i, &at, &found, &err);
  }
  CHECK_EQ_INT(rc, ICE_ELIMIT);
  CHECK(b.peak <= b.limit);
  /* what went in is still there */
  int64_t k = 5;
  uint64_t at;
  CHECK(op_key_map_find(&m, (const uint8_t *)&k, sizeof k, &at));
  op_key_map_reset(&m);
}

static void test_bitmap(void) {
  struct ice_bitmap bm;
  ice_bitmap_init(&bm, NULL);
  struct ice_error err;
  CHECK(!ice_bitmap_get(&bm, 0));
  CHECK_OK(ice_bitmap_set(&bm, 1000003, &err), &err);
  CHECK_OK(ice_bitmap_set(&bm, 7, &err), &err);
  CHECK_OK(ice_bitmap_set(&bm, 7, &err), &err);
  CHECK_EQ_INT(bm.n_set, 2);
  CHECK(ice_bitmap_get(&bm, 7) && ice_bitmap_get(&bm, 1000003));
  CHECK(!ice_bitmap_get(&bm, 8) && !ice_bitmap_get(&bm, 1000002) &&
        !ice_bitmap_get(&bm, -1));
  CHECK(!ice_bitmap_get(&bm, 1LL << 40));
  ice_bitmap_clear(&bm, 7);
  ice_bitmap_clear(&bm, 99999999);
  CHECK_EQ_INT(bm.n_set, 1);
  CHECK_EQ_INT(ice_bitmap_set(&bm, -3, &err), ICE_EINVAL);
  ice_bitmap_reset(&bm);
}

/* No false negatives ever; about 1-3 % false positives at 10 bits a key; off = "may". */
static void test_bloom(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64 << 20);
  struct ice_bloom f;
  ice_bloom_init(&f, 100000, 1 << 20, &b);
  CHECK(f.mask != 0);
  for (int64_t i = 0; i < 100000; i++) ice_bloom_add(&f, (const uint8_t *)&i, sizeof i);
  int64_t missing = 0, fp = 0;
  for (int64_t i = 0; i < 100000; i++)
    missing += !ice_bloom_may_contain(&f, (const uint8_t *)&i, sizeof i);
  for (int64_t i = 100000; i < 300000; i++)
    fp += ice_bloom_may_contain(&f, (const uint8_t *)&i, sizeof i);
  CHECK_EQ_INT(missing, 0);
  CHECK(fp < 200000 * 4 / 100);
  CHECK(b.used > 0);
  ice_bloom_reset(&f);
  CHECK_EQ_INT(b.used, 0);
  /* a filter that cannot get its bits answers "may contain" */
  ice_mem_budget_init(&b, 1024);
  ice_bloom_init(&f, 100000, 1 << 20, &b);
  CHECK(f.mask == 0);
  int64_t k = 5;
  CHECK(ice_bloom_may_contain(&f, (const uint8_t *)&k, sizeof k));
  ice_bloom_reset(&f);
}

struct seen {
  size_t part, n_parts;
  int64_t last, count;
  int bad;
};

static int check_record(void *ctx, const uint8_t *key, size_t len, const uint8_t *payload,
                        struct ice_error *err) {
  (void)err;
  struct seen *s = ctx;
  int64_t v;
  memcpy(&v, payload, sizeof v);
  if (op_spill_part_of(key, len, s->n_parts) != s->part) s->bad++;
  if (v <= s->last) s->bad++; /* put order */
  char want[32];
  int n = snprintf(want, sizeof want, "k%lld", (long long)(v % 5000));
  if (len != (size_t)n || memcmp(key, want, len) != 0) s->bad++;
  s->last = v;
  s->count++;
  return ICE_OK;
}

static void test_spill_roundtrip(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 8 << 20);
  struct op_spill s;
  struct ice_error err;
  CHECK_OK(op_spill_open(&s, 8, sizeof(int64_t), &b, &err), &err);
  for (int64_t i = 0; i < 40000; i++) {
    char k[32];
    int n = snprintf(k, sizeof k, "k%lld", (long long)(i % 5000));
    CHECK_OK(op_spill_put(&s, (const uint8_t *)k, (size_t)n, &i, &err), &err);
  }
  CHECK_OK(op_spill_finish(&s, &err), &err);
  char dir[4200];
  snprintf(dir, sizeof dir, "%s", s.dir);
  struct stat st;
  CHECK(stat(dir, &st) == 0);
  int64_t total = 0;
  for (size_t p = 0; p < 8; p++) {
    struct seen sn = {p, 8, -1, 0, 0};
    CHECK_OK(op_spill_read(&s, p, check_record, &sn, &err), &err);
    CHECK_EQ_INT(sn.bad, 0);
    total += sn.count;
  }
  CHECK_EQ_INT(total, 40000);
  op_spill_close(&s);
  CHECK(stat(dir, &st) != 0); /* folder and files removed */
  CHECK_EQ_INT(b.used, 0);
}

/* A folder left by a process that no longer exists is removed by the next spill. */
static void test_spill_removes_stale_folders(void) {
  char tmpl[] = "/tmp/ice-spill-test-XXXXXX";
  char *root = mkdtemp(tmpl);
  CHECK(root != NULL);
  if (root == NULL) return;
  const char *old = getenv("TMPDIR");
  char *saved = old ? strdup(old) : NULL;
  setenv("TMPDIR", root, 1);
  /* pid 2^22 + 1 is above Linux's pid_max default and never alive */
  char stale[4200], file[4300], live[4200], lfile[4300];
  snprintf(stale, sizeof stale, "%s/icestream-spill-4194305-deadbeef", root);
  snprintf(file, sizeof file, "%s/part-00000", stale);
  snprintf(live, sizeof live, "%s/icestream-spill-%ld-cafe", root, (long)getppid());
  snprintf(lfile, sizeof lfile, "%s/part-00000", live);
  CHECK(mkdir(stale, 0700) == 0 && mkdir(live, 0700) == 0);
  FILE *f = fopen(file, "w");
  FILE *g = fopen(lfile, "w");
  if (f) fclose(f);
  if (g) fclose(g);
  struct op_spill s;
  struct ice_error err;
  CHECK_OK(op_spill_open(&s, 2, 1, NULL, &err), &err);
  struct stat st;
  CHECK(stat(stale, &st) != 0); /* removed: its process is gone */
  CHECK(stat(lfile, &st) == 0); /* kept: its process (our parent) lives */
  op_spill_close(&s);
  unlink(lfile);
  rmdir(live);
  rmdir(root);
  if (saved) {
    setenv("TMPDIR", saved, 1);
    free(saved);
  } else {
    unsetenv("TMPDIR");
  }
}

int main(void) {
  ICE_RUN(test_key_map_insert_find_walk);
  ICE_RUN(test_key_map_budget_limit);
  ICE_RUN(test_bitmap);
  ICE_RUN(test_bloom);
  ICE_RUN(test_spill_roundtrip);
  ICE_RUN(test_spill_removes_stale_folders);
  ICE_TEST_EXIT();
}
