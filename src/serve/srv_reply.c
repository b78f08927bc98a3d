/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Responses: JSON bodies and the spec's ErrorModel ({"error": {"message", "type",
 * "code"}}), with the status and exception type each icestream error code maps to
 * (rest-catalog-open-api.yaml, components/responses).
 */
#include <jansson.h>
#include <string.h>

#include "iceberg/ib_schema_json.h"
#include "serve/srv_route.h"
#include "util/alloc.h"

void srv_response_reset(struct srv_response *r) {
  ice_free(r->body);
  r->body = NULL;
  r->len = 0;
}

void srv_reply_json(struct srv_response *out, int status, json_t *j) {
  srv_response_reset(out);
  char *s = NULL;
  size_t n = 0;
  if (j == NULL || ib_json_dump(j, JSON_COMPACT, &s, &n, NULL) != ICE_OK) {
    json_decref(j);
    out->status = 500; /* out of memory: no body can be built */
    return;
  }
  json_decref(j);
  out->status = status;
  out->body = s;
  out->len = n;
}

void srv_reply_error(struct srv_response *out, int status, const char *type,
                     const char *message) {
  json_t *j = json_pack("{s:{s:s,s:s,s:i}}", "error", "message", message, "type", type,
                        "code", status);
  srv_reply_json(out, status, j);
  out->status = status;
}

void srv_reply_ice_error(struct srv_response *out, int code, const struct ice_error *err,
                         const char *what) {
  const char *msg = err != NULL && err->message[0] ? err->message : ice_code_name(code);
  int status = 500;
  const char *type = "ServiceFailureException";
  int table = what != NULL && strcmp(what, "table") == 0;
  switch (code) {
    case ICE_EINVAL:
    case ICE_ECORRUPT:
    case ICE_ESCHEMA:
    case ICE_ELIMIT:
      status = 400;
      type = "BadRequestException";
      break;
    case ICE_EUNSUPPORTED:
      status = 406;
      type = "UnsupportedOperationException";
      break;
    case ICE_ENOTFOUND:
      status = 404;
      type = table ? "NoSuchTableException" : "NoSuchNamespaceException";
      break;
    case ICE_EEXISTS:
      status = 409;
      type = "AlreadyExistsException";
      break;
    case ICE_ECONFLICT:
      status = 409;
      type = "CommitFailedException";
      break;
    case ICE_EAUTH:
      status = 401;
      type = "NotAuthorizedException";
      break;
    case ICE_ECOMMIT_UNKNOWN:
      status = 500;
      type = "CommitStateUnknownException";
      break;
    default:
      break;
  }
  srv_reply_error(out, status, type, msg);
}
