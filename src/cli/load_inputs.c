/* SPDX-License-Identifier: Apache-2.0 */
/* Expanding the INPUT arguments of `icestream load` (load_inputs.h). */
#include "load_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* The list is bounded by what the user can name. */
static int add(struct load_inputs *p, const char *s) {
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 16;
    char **items = realloc(p->items, cap * sizeof *items);
    if (items == NULL) return -1;
    p->items = items;
    p->cap = cap;
  }
  char *copy = strdup(s);
  if (copy == NULL) return -1;
  p->items[p->n++] = copy;
  return 0;
}

void load_inputs_free(struct load_inputs *p) {
  for (size_t i = 0; i < p->n; i++) free(p->items[i]);
  free(p->items);
  p->items = NULL;
  p->n = p->cap = 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_parquet(const char *name) {
  size_t n = strlen(name);
  return n > 8 && strcmp(name + n - 8, ".parquet") == 0;
}

static int add_directory(struct load_inputs *out, const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return cli_report(CLI_EXIT_FAIL, "load: %s: %s", dir, strerror(errno));
  struct load_inputs found = {0};
  struct dirent *e;
  int rc = CLI_EXIT_OK;
  while (rc == CLI_EXIT_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !ends_with_parquet(e->d_name)) continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *full = malloc(n);
    if (full == NULL || (snprintf(full, n, "%s/%s", dir, e->d_name), add(&found, full)))
      rc = cli_report(CLI_EXIT_FAIL, "load: out of memory");
    free(full);
  }
  closedir(d);
  if (rc == CLI_EXIT_OK && found.n == 0)
    rc = cli_report(CLI_EXIT_FAIL, "load: directory %s holds no *.parquet file", dir);
  if (found.n > 1) qsort(found.items, found.n, sizeof *found.items, cmp_str);
  for (size_t i = 0; rc == CLI_EXIT_OK && i < found.n; i++)
    if (add(out, found.items[i])) rc = cli_report(CLI_EXIT_FAIL, "load: out of memory");
  load_inputs_free(&found);
  return rc;
}

static int expand_glob(struct load_inputs *out, const char *pattern) {
  glob_t g;
  memset(&g, 0, sizeof g);
  int grc = glob(pattern, 0, NULL, &g);
  if (grc == GLOB_NOMATCH) {
    globfree(&g);
    return cli_report(CLI_EXIT_FAIL, "load: input pattern %s matches no file", pattern);
  }
  int rc = CLI_EXIT_OK;
  if (grc != 0) rc = cli_report(CLI_EXIT_FAIL, "load: cannot expand %s", pattern);
  for (size_t i = 0; rc == CLI_EXIT_OK && i < g.gl_pathc; i++) { /* glob sorts */
    struct stat sb;
    if (stat(g.gl_pathv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
      rc = add_directory(out, g.gl_pathv[i]);
    else if (add(out, g.gl_pathv[i]))
      rc = cli_report(CLI_EXIT_FAIL, "load: out of memory");
  }
  globfree(&g);
  return rc;
}

int load_inputs_expand(struct load_inputs *out, const char *arg) {
  struct stat sb;
  if (stat(arg, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return add_directory(out, arg);
    if (add(out, arg)) return cli_report(CLI_EXIT_FAIL, "load: out of memory");
    return CLI_EXIT_OK;
  }
  int e = errno;
  if (strpbrk(arg, "*?[") != NULL) return expand_glob(out, arg);
  return cli_report(CLI_EXIT_FAIL, "load: input %s: %s", arg, strerror(e));
}
