/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: one REST request to `icestream serve`'s router (serve/srv_route.h), no
 * sockets. The input is "METHOD\nPATH\nPARENT\nAUTH\nBODY": the first four lines are the
 * method, the raw path, the "parent" query value and the Authorization header (empty =
 * absent), the rest is the body. The router runs over a real SQLite catalog in a fresh
 * temporary warehouse that persists across inputs (so commits meet tables earlier
 * inputs created); every response must be a well-formed status with a JSON body or
 * none, and no file may appear outside the warehouse.
 */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/cat_catalog.h"
#include "fuzz.h"
#include "serve/srv_route.h"
#include "util/alloc.h"

static struct cat_catalog *g_cat;
static struct srv_state g_state;
static char g_dir[] = "/tmp/fuzz_serve_XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f) {
  (void)st;
  (void)flag;
  (void)f;
  return remove(path);
}

static void close_all(void) {
  srv_state_reset(&g_state);
  cat_close(g_cat);
  nftw(g_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void) {
  if (g_cat != NULL) return 1;
  if (mkdtemp(g_dir) == NULL) return 0;
  char wh[64];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  if (cat_open(NULL, wh, "fuzz", 1000, &g_cat, NULL) != ICE_OK) return 0;
  /* Odd bytes never reach the catalog as identifiers; a namespace exists for the
   * table endpoints to get past the namespace check. */
  if (g_cat->vt->ensure_namespace(g_cat, "db", NULL) != ICE_OK) return 0;
  srv_state_init(&g_state, g_cat, NULL);
  atexit(close_all);
  return 1;
}

/* The next line of [*p, end) as a NUL-terminated copy (owned), advancing *p. */
static char *line(const uint8_t **p, const uint8_t *end) {
  const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
  size_t n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
  char *s = ice_malloc(n + 1);
  if (s == NULL) return NULL;
  memcpy(s, *p, n);
  s[n] = '\0';
  *p += n + (nl ? 1 : 0);
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!setup()) abort();
  const uint8_t *p = data, *end = data + size;
  char *method = line(&p, end), *path = line(&p, end), *parent = line(&p, end),
       *auth = line(&p, end);
  if (method && path && parent && auth) {
    struct srv_request rq = {.method = method,
                             .path = path,
                             .q_parent = parent[0] ? parent : NULL,
                             .auth = auth[0] ? auth : NULL,
                             .body = (const char *)p,
                             .len = (size_t)(end - p)};
    struct srv_response r = {0};
    srv_handle(&g_state, &rq, &r);
    if (r.status < 200 || r.status > 599) abort();
    if (r.body != NULL) {
      json_error_t je;
      json_t *j = json_loadb(r.body, r.len, 0, &je);
      if (j == NULL) abort(); /* every body is JSON */
      json_decref(j);
    }
    srv_response_reset(&r);
  }
  ice_free(method);
  ice_free(path);
  ice_free(parent);
  ice_free(auth);
  return 0;
}
