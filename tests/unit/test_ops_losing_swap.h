/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A catalog whose row swap loses the race a given number of times (the swap of a
 * concurrent writer landed first), for the tests of commit retries: install it, set
 * g_lose, run the change, count g_swaps, uninstall.
 */
#ifndef ICE_TEST_OPS_LOSING_SWAP_H
#define ICE_TEST_OPS_LOSING_SWAP_H

#include "catalog/cat_catalog.h"

static const struct cat_sql_rows *g_real;
static struct cat_sql_rows g_wrapped;
static int g_lose, g_swaps;

static int losing_swap(struct cat_catalog *c, const struct cat_ident *id,
                       const char *old_loc, const char *new_loc, struct ice_error *err) {
  g_swaps++;
  if (g_lose > 0) {
    g_lose--;
    return ice_error_set(err, ICE_ECONFLICT, "injected: lost the race");
  }
  return g_real->swap(c, id, old_loc, new_loc, err);
}

/* c's swaps go through losing_swap until losing_swap_uninstall. */
static inline void losing_swap_install(struct cat_catalog *c) {
  g_real = c->rows;
  g_wrapped = *c->rows;
  g_wrapped.swap = losing_swap;
  c->rows = &g_wrapped;
}

static inline void losing_swap_uninstall(struct cat_catalog *c) {
  c->rows = g_real;
}

#endif
