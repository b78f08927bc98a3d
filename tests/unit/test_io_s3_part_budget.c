/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An S3 output's part buffer and the job's memory budget (io_s3.h: io_s3_create): its
 * capacity is charged as it grows, never past one part, and given back at close,
 * abort and after a failed part; growth the budget refuses fails the write with
 * ICE_ELIMIT naming the part size. No server is needed: nothing here sends a request
 * but the failed part, whose endpoint is a closed loopback port (one attempt).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "io/io_s3.h"
#include "util/mem_budget.h"

#define PART (5u * 1024 * 1024)

/* A loopback port nothing listens on: bound, then closed again. */
static int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0)
    abort();
  close(fd);
  return ntohs(a.sin_port);
}

static struct io_s3 *new_client(void) {
  struct ice_error err;
  struct io_s3_config cfg;
  io_s3_config_init(&cfg);
  char ep[64];
  snprintf(ep, sizeof ep, "http://127.0.0.1:%d", closed_port());
  int rc = io_s3_config_set(&cfg, "s3.endpoint", ep, &err);
  if (rc == ICE_OK) rc = io_s3_config_set(&cfg, "s3.region", "us-east-1", &err);
  if (rc == ICE_OK) rc = io_s3_config_set(&cfg, "s3.access-key-id", "AKIDTEST", &err);
  if (rc == ICE_OK) rc = io_s3_config_set(&cfg, "s3.secret-access-key", "secret", &err);
  if (rc == ICE_OK)
    rc = io_s3_config_set(&cfg, "s3.multipart.part-size", "5242880", &err);
  if (rc == ICE_OK) rc = io_s3_config_set(&cfg, "s3.max-attempts", "1", &err);
  struct io_s3 *s3 = NULL;
  if (rc == ICE_OK) rc = io_s3_new(&cfg, &s3, &err);
  io_s3_config_reset(&cfg);
  if (rc != ICE_OK) {
    fprintf(stderr, "  client: %s\n", err.message);
    abort();
  }
  return s3;
}

static void test_part_buffer_charged(void) {
  struct io_s3 *s3 = new_client();
  struct ice_error err;
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64ll << 20);
  struct ice_output *o = NULL;
  CHECK_OK(io_s3_create(s3, "lake", "t/a.parquet", "s3://lake/t/a.parquet", &b, &o, &err),
           &err);
  CHECK_EQ_INT(b.used, 0); /* grows with the data */
  static uint8_t chunk[100000];
  memset(chunk, 'x', sizeof chunk);
  CHECK_OK(ice_output_write(o, chunk, 1000, &err), &err);
  CHECK(b.used >= 1000 && b.used < 100000);
  /* Up to one byte short of a part: charged about its size, never more than a part. */
  size_t left = PART - 1 - 1000;
  while (left > 0) {
    size_t k = left < sizeof chunk ? left : sizeof chunk;
    CHECK_OK(ice_output_write(o, chunk, k, &err), &err);
    left -= k;
    CHECK(b.used <= (int64_t)PART);
  }
  CHECK(b.used >= (int64_t)PART - 1);
  /* Closed before finish: no upload was started, the buffer goes back. */
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);
  CHECK(b.peak >= (int64_t)PART - 1 && b.peak <= (int64_t)PART);

  /* abort gives it back at once. */
  CHECK_OK(io_s3_create(s3, "lake", "t/b.parquet", "s3://lake/t/b.parquet", &b, &o, &err),
           &err);
  CHECK_OK(ice_output_write(o, chunk, sizeof chunk, &err), &err);
  CHECK(b.used >= (int64_t)sizeof chunk);
  ice_output_abort(o);
  CHECK_EQ_INT(b.used, 0);
  ice_output_close(o);

  /* A full part is sent; here the send fails: the upload is given up and so is the
   * buffer, before close. */
  CHECK_OK(io_s3_create(s3, "lake", "t/c.parquet", "s3://lake/t/c.parquet", &b, &o, &err),
           &err);
  int rc = ICE_OK;
  for (size_t at = 0; rc == ICE_OK && at < PART; at += sizeof chunk) {
    size_t k = PART - at < sizeof chunk ? PART - at : sizeof chunk;
    rc = ice_output_write(o, chunk, k, &err);
  }
  CHECK(rc != ICE_OK);
  CHECK_EQ_INT(b.used, 0);
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);

  /* Without a budget nothing is charged anywhere. */
  CHECK_OK(
      io_s3_create(s3, "lake", "t/d.parquet", "s3://lake/t/d.parquet", NULL, &o, &err),
      &err);
  CHECK_OK(ice_output_write(o, chunk, sizeof chunk, &err), &err);
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);
  io_s3_free(s3);
}

static void test_part_buffer_refused(void) {
  struct io_s3 *s3 = new_client();
  struct ice_error err;
  struct ice_mem_budget b;
  /* A part does not fit: the write fails with ICE_ELIMIT, the budget holds. */
  ice_mem_budget_init(&b, 1 << 20);
  struct ice_output *o = NULL;
  CHECK_OK(io_s3_create(s3, "lake", "t/e.parquet", "s3://lake/t/e.parquet", &b, &o, &err),
           &err);
  static uint8_t chunk[64 * 1024];
  memset(chunk, 'y', sizeof chunk);
  int rc = ICE_OK;
  size_t written = 0;
  while (rc == ICE_OK && written < 2u * 1024 * 1024) {
    rc = ice_output_write(o, chunk, sizeof chunk, &err);
    if (rc == ICE_OK) written += sizeof chunk;
    CHECK(b.used <= b.limit);
  }
  CHECK_EQ_INT(rc, ICE_ELIMIT);
  CHECK(strstr(err.message, "s3.multipart.part-size 5242880") != NULL);
  CHECK(strstr(err.message, "memory limit") != NULL);
  CHECK(written <= 1u << 20); /* what the budget held, no more */
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);
  io_s3_free(s3);
}

int main(void) {
  ICE_RUN(test_part_buffer_charged);
  ICE_RUN(test_part_buffer_refused);
  ICE_TEST_EXIT();
}
