/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_server_* (include/ice/ice_serve.h): libmicrohttpd feeding srv_handle. One
 * polling thread (epoll where available) answers requests in turn, so the catalog
 * handle is never used by two requests at once. Paths reach the router still
 * percent-encoded (the unescape callback leaves them alone) so "%2F" cannot split an
 * identifier; bodies are collected up to SRV_MAX_BODY_BYTES, and a longer one (by its
 * Content-Length or as it arrives) is answered 413 without keeping it.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include "api/api_internal.h"
#include "ice/ice_serve.h"
#include "iceberg/ib_schema_json.h"
#include "io/io_fileio.h"
#include "serve/srv_route.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SRV_TOKEN_MAX 4096

struct ice_server {
  struct MHD_Daemon *d;
  struct srv_state state;
  char *token;
  char *vend_config; /* owned; srv_state borrows it */
  int port;
  unsigned open;  /* connections open now (only the polling thread touches it) */
  unsigned limit; /* requests beyond this many open connections get 503 */
};

/* Per-connection request state. */
struct srv_conn {
  struct ice_buf body;
  int too_big;
};

static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s) {
  (void)cls;
  (void)c;
  return strlen(s);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  struct srv_conn *k = *con_cls;
  if (k == NULL) return;
  ice_buf_reset(&k->body);
  ice_free(k);
  *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
  (void)c;
  (void)socket_context;
  struct ice_server *srv = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED)
    srv->open++;
  else if (srv->open > 0)
    srv->open--;
}

static enum MHD_Result send_response(struct MHD_Connection *c,
                                     const struct srv_response *r) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      r->len, r->body ? r->body : (void *)(uintptr_t)"", MHD_RESPMEM_MUST_COPY);
  if (resp == NULL) return MHD_NO;
  if (r->len > 0) MHD_add_response_header(resp, "Content-Type", "application/json");
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ok;
}

static enum MHD_Result too_large(struct MHD_Connection *c) {
  struct srv_response r = {0};
  srv_reply_error(&r, 413, "BadRequestException", "request body is too large");
  enum MHD_Result ok = send_response(c, &r);
  srv_response_reset(&r);
  return ok;
}

/* A request that arrives while more than --max-connections are open is answered 503
 * (and its connection closed) instead of waiting: a flood of idle connections makes
 * clients fail fast rather than time out. */
static enum MHD_Result overloaded(struct MHD_Connection *c) {
  struct srv_response r = {0};
  srv_reply_error(&r, 503, "ServiceUnavailableException",
                  "too many connections; retry later");
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      r.len, r.body ? r.body : (void *)(uintptr_t)"", MHD_RESPMEM_MUST_COPY);
  srv_response_reset(&r);
  if (resp == NULL) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", "application/json");
  MHD_add_response_header(resp, "Connection", "close");
  MHD_add_response_header(resp, "Retry-After", "1");
  enum MHD_Result ok = MHD_queue_response(c, 503, resp);
  MHD_destroy_response(resp);
  return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)version;
  struct ice_server *srv = cls;
  struct srv_conn *k = *con_cls;
  if (k == NULL) {
    if (srv->open > srv->limit) return overloaded(c);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl != NULL && strtoull(cl, NULL, 10) > SRV_MAX_BODY_BYTES) return too_large(c);
    k = ice_calloc(1, sizeof *k);
    if (k == NULL) return MHD_NO;
    ice_buf_init(&k->body, SRV_MAX_BODY_BYTES);
    *con_cls = k;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    if (!k->too_big &&
        ice_buf_append(&k->body, upload_data, *upload_data_size, NULL) != ICE_OK) {
      k->too_big = 1; /* keep reading, drop the bytes, answer 413 at the end */
      ice_buf_reset(&k->body);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (k->too_big) return too_large(c);
  struct srv_request rq = {
      .method = method,
      .path = url,
      .q_parent = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "parent"),
      .q_purge = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "purgeRequested"),
      .auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
      .idem_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key"),
      .delegation =
          MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Iceberg-Access-Delegation"),
      .body = (const char *)k->body.data,
      .len = k->body.len};
  struct srv_response r = {0};
  srv_handle(&srv->state, &rq, &r);
  enum MHD_Result ok = send_response(c, &r);
  srv_response_reset(&r);
  return ok;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct ice_error *err) {
  const char *colon = strrchr(listen, ':');
  if (colon == NULL || colon == listen || (size_t)(colon - listen) >= 64)
    ICE_FAIL(err, ICE_EINVAL, "listen address %.100s: expected HOST:PORT", listen);
  char host[64];
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  char *end = NULL;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (colon[1] == '\0' || *end != '\0' || port > 65535)
    ICE_FAIL(err, ICE_EINVAL, "listen address %.100s: bad port", listen);
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
  if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
    ICE_FAIL(err, ICE_EINVAL, "listen address %.100s: host must be an IPv4 address",
             listen);
  return ICE_OK;
}

/* The token file's content without surrounding whitespace (owned). */
static int read_token(const char *path, char **out, struct ice_error *err) {
  struct io_fileio *io = NULL;
  struct ice_input *in = NULL;
  ICE_TRY(io_fileio_new(&io, err));
  int rc = io_fileio_open_input(io, path, &in, err);
  char *t = NULL;
  size_t n = 0;
  if (rc == ICE_OK && (in->size <= 0 || in->size > SRV_TOKEN_MAX))
    rc = ice_error_set(err, ICE_EINVAL, "token file %.300s must hold 1..%d bytes", path,
                       SRV_TOKEN_MAX);
  if (rc == ICE_OK) n = (size_t)in->size;
  if (rc == ICE_OK && (t = ice_malloc(n + 1)) == NULL)
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) rc = in->vt->read_at(in, 0, t, n, err);
  if (in != NULL) in->vt->close(in);
  io_fileio_free(io);
  if (rc != ICE_OK) {
    ice_free(t);
    return rc;
  }
  t[n] = '\0';
  while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ' ||
                   t[n - 1] == '\t'))
    t[--n] = '\0';
  size_t lead = strspn(t, " \t\r\n");
  memmove(t, t + lead, n - lead + 1);
  n -= lead;
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)t[i] < 0x21 || (unsigned char)t[i] > 0x7E) {
      ice_free(t);
      ICE_FAIL(err, ICE_EINVAL, "token file %.300s: the token must be printable ASCII "
               "without spaces", path);
    }
  }
  if (n == 0) {
    ice_free(t);
    ICE_FAIL(err, ICE_EINVAL, "token file %.300s is empty", path);
  }
  *out = t;
  return ICE_OK;
}

static void free_wiped(char *s) {
  if (s == NULL) return;
  memset(s, 0, strlen(s));
  ice_free(s);
}

/* The s3.* / client.region pairs to vend as one JSON object (owned, freed wiping). */
static int vend_json(const char *const *props, size_t n, char **out, struct ice_error *err) {
  json_t *o = json_object();
  int rc = o ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i + 1 < 2 * n; i += 2) {
    if (strncmp(props[i], "s3.", 3) != 0 && strcmp(props[i], "client.region") != 0) continue;
    json_t *v = json_string(props[i + 1]);
    if (v == NULL || json_object_set_new(o, props[i], v) != 0)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory (or a value is not UTF-8)");
  }
  if (rc == ICE_OK) rc = ib_json_dump(o, JSON_COMPACT, out, NULL, err);
  json_decref(o);
  return rc;
}

int ice_server_start(ice_catalog *cat, const struct ice_serve_options *opts,
                     ice_server **out, struct ice_error *err) {
  if (cat == NULL || opts == NULL || out == NULL)
    ICE_FAIL(err, ICE_EINVAL, "catalog, options or output is NULL");
  struct sockaddr_in sa;
  ICE_TRY(parse_listen(opts->listen ? opts->listen : "127.0.0.1:8181", &sa, err));
  ice_server *s = ice_calloc(1, sizeof *s);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (opts->token_file != NULL) {
    int rc = read_token(opts->token_file, &s->token, err);
    if (rc != ICE_OK) {
      ice_free(s);
      return rc;
    }
  }
  srv_state_init(&s->state, cat->cat, s->token);
  if (opts->token_lifetime_s > 0) s->state.token_lifetime_s = opts->token_lifetime_s;
  if (opts->n_vend_properties > 0) {
    int rc = vend_json(opts->vend_properties, opts->n_vend_properties, &s->vend_config, err);
    if (rc != ICE_OK) {
      ice_free(s->token);
    free_wiped(s->vend_config);
      ice_free(s);
      return rc;
    }
    s->state.vend_config = s->vend_config;
  }
  s->limit = opts->max_connections ? opts->max_connections : 1024;
  /* Connections are held up to the descriptor limit (raised to its hard value), so
   * those past s->limit can still be answered 503 rather than left in the backlog. */
  struct rlimit rl;
  unsigned hard = s->limit + 16384;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &rl);
      (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)hard + 64)
      hard = rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
  }
  s->d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, hard,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_UNESCAPE_CALLBACK,
      keep_escaped, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
  if (s->d == NULL) {
    srv_state_reset(&s->state);
    ice_free(s->token);
    free_wiped(s->vend_config);
    ice_free(s);
    ICE_FAIL(err, ICE_EIO, "cannot listen on %.100s (address in use or not local?)",
             opts->listen ? opts->listen : "127.0.0.1:8181");
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? (int)info->port : ntohs(sa.sin_port);
  *out = s;
  return ICE_OK;
}

int ice_server_port(const ice_server *s) {
  return s ? s->port : 0;
}

void ice_server_stop(ice_server *s) {
  if (s == NULL) return;
  MHD_stop_daemon(s->d);
  srv_state_reset(&s->state);
  if (s->token != NULL) memset(s->token, 0, strlen(s->token));
  ice_free(s->token);
  free_wiped(s->vend_config);
  ice_free(s);
}
