/* SPDX-License-Identifier: Apache-2.0 */
/**
 * \file ice_serve.h
 * \brief An Iceberg REST catalog server over an icestream catalog (`icestream serve`).
 *
 * The server speaks the Iceberg REST protocol (rest-catalog-open-api.yaml): config,
 * namespaces, tables and commits. Commits are applied by the catalog it serves with
 * the same checks and metadata builder as every icestream load, so DuckDB, Spark,
 * pyiceberg and icestream's own REST client can share one local catalog.
 */
#ifndef ICE_SERVE_H
#define ICE_SERVE_H

#include "ice/ice_catalog.h"
#include "ice/ice_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A running server (opaque). */
typedef struct ice_server ice_server;

/** Options of ice_server_start; every pointer is borrowed for the call. */
struct ice_serve_options {
  /** "HOST:PORT" to listen on, an IPv4 literal host; NULL = "127.0.0.1:8181". Port 0
   *  picks a free port (see ice_server_port). */
  const char *listen;
  /** File holding the bearer token every request must carry (surrounding whitespace
   *  ignored), or NULL for none. The token is never logged or echoed. */
  const char *token_file;
  /** Most connections served at once (0 = 1024): a request arriving while more are
   *  open is answered 503 (ServiceUnavailableException) and its connection closed. */
  unsigned max_connections;
  /** Storage settings (key, value pairs; the s3.* and client.region keys are used)
   *  handed to clients in a table's `config` when they ask with
   *  "X-Iceberg-Access-Delegation: vended-credentials" (and only then). */
  const char *const *vend_properties;
  size_t n_vend_properties; /**< number of pairs in vend_properties */
  /** Lifetime in seconds of the tokens POST /v1/oauth/tokens issues (their
   *  expires_in); 0 = 3600. An expired or unknown issued token is answered 401, and
   *  issued tokens live only as long as the server (a restart revokes them all). */
  unsigned token_lifetime_s;
};

/**
 * Starts serving `cat` on a thread of its own and returns at once. `cat` is borrowed:
 * it must outlive the server, and the caller must not use it while the server runs
 * (requests are handled one at a time on the server's thread).
 * Errors: ICE_EINVAL (bad listen address, empty token file), ICE_ENOTFOUND/ICE_EIO
 * (token file), ICE_EIO (the address cannot be bound), ICE_ENOMEM.
 */
ICE_API int ice_server_start(ice_catalog *cat, const struct ice_serve_options *opts,
                             ice_server **out, struct ice_error *err);

/** The TCP port the server listens on. */
ICE_API int ice_server_port(const ice_server *s);

/** Stops the server (waits for the request in progress) and frees it; NULL is fine. */
ICE_API void ice_server_stop(ice_server *s);

#ifdef __cplusplus
}
#endif

#endif /* ICE_SERVE_H */
