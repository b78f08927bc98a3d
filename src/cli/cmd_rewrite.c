/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream rewrite IN.parquet OUT.parquet`: streams a Parquet file through the reader
 * and the writer (public API only), so the output has icestream's layout, codec,
 * statistics and Iceberg-style types. Memory: one batch (two above 1 thread: the next
 * is read ahead) plus the open row group (and the last one while it is written).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_commands.h"
#include "ice/ice_parquet.h"
#include "ice/ice_parquet_write.h"

static const char rewrite_usage[] =
    "usage: icestream rewrite IN.parquet OUT.parquet [--codec zstd] [--row-group-bytes "
    "N]\n"
    "                         [--page-v2] [OPTIONS]\n"
    "\n"
    "Rewrites a Parquet file with icestream's writer. OUT must not exist.\n"
    "\n"
    "  --codec NAME          zstd (default), snappy, gzip, lz4 (LZ4_RAW), brotli, "
    "uncompressed\n"
    "  --level N             compression level (default: the codec's)\n"
    "  --row-group-bytes N   row group size target (default 134217728)\n"
    "  --page-bytes N        page size target (default 1048576)\n"
    "  --page-rows N         rows per page at most (default 20000)\n"
    "  --dict-bytes N        dictionary size limit per column chunk (default 2097152)\n"
    "  --no-dictionary       never dictionary-encode\n"
    "  --page-v2             write data page v2 (dictionary fallback is DELTA_*)\n"
    "  --batch-rows N        rows read per batch (default 16384)\n"
    "  --threads N           threads that compress pages and write row groups\n"
    "                        (default: one per online CPU; 1 = none beyond the\n"
    "                        main one); above 1, the next batch is read ahead, its\n"
    "                        columns decoded on N / 2 threads; same bytes either way\n"
    "  --quiet               print nothing on success\n"
    "  --help                show this help\n";

#define REWRITE_MAX_PROPS 32

/* Half the threads decode (at least one): writing takes most of a rewrite's time, and
 * at 2 threads a second decoder beside the read-ahead thread, the writer and its
 * compression thread only waits for a core (as in a load, docs/memory.md). */
static int decode_threads(int64_t threads) {
  long n = threads > 0 ? (long)threads : sysconf(_SC_NPROCESSORS_ONLN);
  return n >= 4 ? (int)(n / 2) : 1;
}

int cmd_rewrite(int argc, char **argv) {
  struct ice_error err = {0};
  char *codec = NULL, *level = NULL, *rg = NULL, *page = NULL, *page_rows = NULL;
  char *dict = NULL, *batch_rows = NULL, *threads = NULL;
  bool v2 = false, no_dict = false, quiet = false;
  const struct cli_opt opts[] = {
      {"codec", true, &codec, NULL},
      {"level", true, &level, NULL},
      {"row-group-bytes", true, &rg, NULL},
      {"page-bytes", true, &page, NULL},
      {"page-rows", true, &page_rows, NULL},
      {"dict-bytes", true, &dict, NULL},
      {"batch-rows", true, &batch_rows, NULL},
      {"threads", true, &threads, NULL},
      {"page-v2", false, NULL, &v2},
      {"no-dictionary", false, NULL, &no_dict},
      {"quiet", false, NULL, &quiet},
  };
  char *pos[2];
  struct cli_parsed parsed;
  if (cli_args_parse(argc, argv, opts, sizeof opts / sizeof opts[0], pos, 2, &parsed,
                     &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s (try 'icestream rewrite --help')", err.message);
  }
  if (parsed.help) {
    fputs(rewrite_usage, stdout);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
  }
  if (parsed.n_pos != 2) {
    return cli_report(
        CLI_EXIT_USAGE,
        "rewrite: expected IN.parquet OUT.parquet (try 'icestream rewrite --help')");
  }
  const char *props[REWRITE_MAX_PROPS];
  size_t np = 0;
#define REWRITE_PROP(k, v) (props[np++] = (k), props[np++] = (v))
  if (codec) REWRITE_PROP("write.parquet.compression-codec", codec);
  if (level) REWRITE_PROP("write.parquet.compression-level", level);
  if (rg) REWRITE_PROP("write.parquet.row-group-size-bytes", rg);
  if (page) REWRITE_PROP("write.parquet.page-size-bytes", page);
  if (page_rows) REWRITE_PROP("write.parquet.page-row-limit", page_rows);
  if (dict) REWRITE_PROP("write.parquet.dict-size-bytes", dict);
  if (v2) REWRITE_PROP("write.parquet.page-version", "2");
  if (no_dict) REWRITE_PROP("write.parquet.dictionary-enabled", "false");
  REWRITE_PROP("icestream.threads", threads ? threads : "0");
#undef REWRITE_PROP
  props[np] = NULL;
  int64_t batch = ICE_PARQUET_DEFAULT_BATCH_ROWS, read_threads = 0;
  if (threads != NULL &&
      cli_parse_int64(threads, 0, ICE_PARQUET_MAX_THREADS, "rewrite: --threads",
                      &read_threads, &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  }
  if (batch_rows != NULL &&
      cli_parse_int64(batch_rows, 1, 1 << 24, "rewrite: --batch-rows", &batch, &err) !=
          ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  }

  ice_parquet_file *in = NULL;
  struct ArrowArrayStream stream = {0};
  struct ice_parquet_write_info info = {0};
  int rc = ice_parquet_open(pos[0], &in, &err);
  if (rc == ICE_OK) {
    struct ice_parquet_read_options ro;
    ice_parquet_read_options_init(&ro);
    ro.batch_rows = batch;
    ro.threads = decode_threads(read_threads);
    rc = ice_parquet_stream(in, &ro, &stream, &err);
  }
  if (rc == ICE_OK) rc = ice_parquet_write_stream(pos[1], &stream, props, &info, &err);
  if (stream.release != NULL) stream.release(&stream);
  ice_parquet_close(in);
  if (rc != ICE_OK) {
    int status = rc == ICE_EINVAL && strstr(err.message, "property")
                     ? CLI_EXIT_USAGE
                     : cli_exit_status(rc);
    return cli_report(status, "%s", err.message[0] ? err.message : ice_code_name(rc));
  }
  if (!quiet) {
    printf("{\"rows\":%lld,\"bytes\":%lld,\"row_groups\":%d}\n", (long long)info.rows,
           (long long)info.file_bytes, (int)info.row_groups);
  }
  return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
