/* SPDX-License-Identifier: Apache-2.0 */
/* Local paths for table locations, honouring ICESTREAM_LOCATION_MAP (op_location.h). */
#include "ops/op_location.h"

#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "util/alloc.h"
#include "util/limits.h"

int op_local_path(const char *uri, char **out, struct ice_error *err) {
  const char *map = getenv("ICESTREAM_LOCATION_MAP");
  if (map != NULL && strlen(map) < ICE_LIMIT_LOCATION_BYTES) {
    const char *p = map;
    while (*p != '\0') {
      const char *end = strchr(p, ';');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      const char *eq = memchr(p, '=', len);
      if (eq != NULL && eq > p) {
        size_t plen = (size_t)(eq - p);
        if (strncmp(uri, p, plen) == 0) {
          char *prefix = ice_strndup(p, plen);
          char *repl = ice_strndup(eq + 1, len - plen - 1);
          char *rebased = NULL;
          int rc = prefix && repl ? ib_location_rebase(uri, prefix, repl, &rebased, err)
                                  : ice_error_set(err, ICE_ENOMEM, "out of memory");
          ice_free(prefix);
          ice_free(repl);
          if (rc == ICE_OK) rc = ib_location_to_local_path(rebased, out, err);
          ice_free(rebased);
          return rc;
        }
      }
      if (end == NULL) break;
      p = end + 1;
    }
  }
  return ib_location_to_local_path(uri, out, err);
}
