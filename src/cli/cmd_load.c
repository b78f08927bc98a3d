/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream load TABLE INPUT...`: expands inputs (load_inputs.h), hands them to
 * ice_load_files() (one snapshot, all or nothing) and prints a summary (human text, or
 * one JSON object with --json). A progress line goes to stderr when it is a terminal
 * (or with --progress always). The exit status reports the commit: once a snapshot is
 * committed, failing to print the summary is only a warning, or a retrying caller
 * would load the rows twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_signal.h"
#include "cmd_common.h"
#include "ice/ice_table.h"
#include "load_inputs.h"
#include "load_merge_opts.h"
#include "load_progress.h"

static const char load_help[] =
    "usage: icestream load [options] TABLE INPUT...\n"
    "Loads Parquet files into an Iceberg table as one snapshot (all or nothing).\n"
    "TABLE is namespace.table (nested: a.b.t); INPUT is a Parquet file, a directory\n"
    "(its *.parquet files, sorted) or a glob pattern. A missing table is created from\n"
    "the first input's schema. At least one input is required, and a directory or glob\n"
    "that yields no Parquet file is an error; to empty a table, replace it with an "
    "empty\n"
    "Parquet file; to create an empty table, use `icestream create`.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --mode append|replace append rows (default) or make the input the whole "
    "content\n" LOAD_MERGE_HELP
    "  --schema-evolution add|relax|strict\n"
    "                        how the load may change the table schema, in the same\n"
    "                        commit as its rows (columns matched by name; table\n"
    "                        columns the input lacks read null): add (default) adds\n"
    "                        input columns the table lacks (optional; nested fields\n"
    "                        too) and widens int->long, float->double, decimal\n"
    "                        precision; a required column the input lacks or declares\n"
    "                        optional is an error; relax also makes such columns\n"
    "                        optional; strict changes nothing and refuses any\n"
    "                        difference (see docs/schema-evolution.md)\n"
    "";

/* Two halves: one string literal would pass the 4095 characters C11 guarantees. */
static const char load_help_more[] =
    "  --mode overwrite-partitions  replace only the partitions the input has rows in\n"
    "                        (one overwrite snapshot; files of older partition specs\n"
    "                        stay; an unpartitioned table is replaced whole)\n"
    "  --property K=V        table property when the table is created (repeatable)\n"
    "  --partition-by SPEC   partition a table the load creates, e.g. 'day(ts), bucket(16,\n"
    "                        id)' (docs/partitioning.md); a table that exists must have\n"
    "                        this spec. Each data file holds one partition, under\n"
    "                        data/FIELD=VALUE/; past write.partition.max-open-files\n"
    "                        partitions at once, rows pass through files in $TMPDIR\n"
    "  --memory-limit SIZE   bound on everything the load buffers (read pages, batches,\n"
    "                        pages, dictionaries, row groups, page index), e.g. 256M,\n"
    "                        1G (default 256M, at least 1M); the process itself takes\n"
    "                        ~12-24 MiB more; a value or page that cannot fit is an\n"
    "                        early error naming its column (see docs/memory.md)\n"
    "  --batch-rows N        rows per read batch\n"
    "  --threads N           threads that compress and write row groups and\n"
    "                        partitions (default: one per online CPU; 1 = none\n"
    "                        beyond the main one); above 1, each input's next batch\n"
    "                        is also read ahead, its columns decoded on N / 2\n"
    "                        threads; the files hold the same rows in the same order\n"
    "                        either way\n"
    "  --load-id ID          exactly once: stamped into the snapshot summary as\n"
    "                        icestream.load-id; a load whose id the table's history\n"
    "                        already holds commits nothing (exit 0)\n"
    "  --json                print one JSON object instead of a text summary\n"
    "  --progress WHEN       auto (default: when stderr is a terminal), always, never\n"
    "SIGINT or SIGTERM stops the load before its commit and deletes what it wrote\n"
    "(exit 130 or 143); once the commit has begun, the load finishes.\n"
    "environment:\n"
    "  ICESTREAM_LOCATION_MAP=PREFIX=DIR[;...]  the --location-map entries when none is\n"
    "                        given (writes into DIR need --allow-location DIR)\n";

static long peak_rss_bytes(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
  return ru.ru_maxrss * 1024L; /* Linux reports KiB */
}

static void print_result(const char *table, const char *mode,
                         const struct ice_commit_info *ci, double secs, int json) {
  int merge = strcmp(mode, "merge") == 0;
  if (json) {
    printf("{\"table\":");
    cmd_print_json_string(table);
    printf(",\"mode\":\"%s\",\"committed\":%s,\"already_loaded_snapshot_id\":", mode,
           ci->committed ? "true" : "false");
    if (ci->already_loaded_snapshot_id >= 0)
      printf("%lld", (long long)ci->already_loaded_snapshot_id);
    else
      printf("null");
    printf(",\"snapshot_id\":");
    if (ci->committed)
      printf("%lld", (long long)ci->snapshot_id);
    else
      printf("null");
    printf(",\"operation\":");
    if (ci->committed)
      cmd_print_json_string(ci->operation);
    else
      printf("null");
    printf(
        ",\"table_created\":%s,\"rows_written\":%lld,\"data_files_added\":%lld,"
        "\"data_files_removed\":%lld,\"bytes_written\":%lld,\"attempts\":%d,"
        "\"metadata_location\":",
        ci->table_created ? "true" : "false", (long long)ci->rows_written,
        (long long)ci->data_files_added, (long long)ci->data_files_removed,
        (long long)ci->bytes_written, (int)ci->attempts);
    cmd_print_json_string(ci->metadata_location);
    printf(
        ",\"seconds\":%.3f,\"commit_seconds\":%.6f,\"manifest_add_seconds\":%.6f,"
        "\"peak_rss_bytes\":%ld,\"memory_limit_bytes\":%lld,"
        "\"memory_peak_bytes\":%lld",
        secs, ci->commit_seconds, ci->manifest_add_seconds, peak_rss_bytes(),
        (long long)ci->memory_limit_bytes, (long long)ci->memory_peak_bytes);
    if (merge) load_merge_print(ci, 1);
    if (ci->partitions_written > 0)
      printf(",\"partitions_written\":%lld,\"rows_spilled\":%lld,\"bytes_spilled\":%lld",
             (long long)ci->partitions_written, (long long)ci->rows_spilled,
             (long long)ci->bytes_spilled);
    printf("}\n");
    return;
  }
  if (ci->table_created) printf("created table %s\n", table);
  if (ci->already_loaded_snapshot_id >= 0) {
    printf("%s: already loaded in snapshot %lld; nothing committed\n", table,
           (long long)ci->already_loaded_snapshot_id);
  } else if (!ci->committed && merge) {
    printf("%s: the merge changes nothing; table unchanged\n", table);
    load_merge_print(ci, 0);
  } else if (!ci->committed) {
    printf("%s: nothing to commit (no input rows); table unchanged\n", table);
  } else {
    printf("%s: %s snapshot %lld (%s)\n", table, mode, (long long)ci->snapshot_id,
           ci->operation);
    printf("  rows written:       %lld\n", (long long)ci->rows_written);
    printf("  data files added:   %lld\n", (long long)ci->data_files_added);
    printf("  data files removed: %lld\n", (long long)ci->data_files_removed);
    printf("  bytes written:      %lld\n", (long long)ci->bytes_written);
    if (ci->partitions_written > 0)
      printf("  partitions written: %lld\n", (long long)ci->partitions_written);
    if (ci->rows_spilled > 0)
      printf("  rows spilled:       %lld (%lld bytes in temporary runs)\n",
             (long long)ci->rows_spilled, (long long)ci->bytes_spilled);
    if (ci->attempts > 1) printf("  commit attempts:    %d\n", (int)ci->attempts);
    if (merge) load_merge_print(ci, 0);
  }
  printf("  metadata:           %s\n", ci->metadata_location);
  printf("  seconds:            %.3f\n", secs);
  printf("  peak RSS:           %.1f MiB\n",
         (double)peak_rss_bytes() / (1024.0 * 1024.0));
}

int cmd_load(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  copts.may_create = 1;
  const char *mode = "append", *mem = NULL, *batch = NULL, *load_id = NULL;
  const char *threads = NULL;
  const char *progress = "auto", *evolution = "add", *partition_by = NULL;
  struct load_progress lp;
  int json = 0, r, only_positional = 0;
  const char **props = calloc((size_t)argc * 2 + 1, sizeof *props);
  const char **pos = calloc((size_t)argc + 1, sizeof *pos);
  size_t n_props = 0, n_pos = 0;
  struct load_inputs inputs = {0};
  struct load_merge_opts merge_opts = {0};
  ice_catalog *cat = NULL;
  int status = CLI_EXIT_OK;
  if (props == NULL || pos == NULL) {
    status = cli_report(CLI_EXIT_FAIL, "load: out of memory");
    goto done;
  }
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (only_positional || a[0] != '-' || a[1] == '\0') {
      pos[n_pos++] = a;
      i++;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_positional = 1;
      i++;
    } else if (cmd_is_help(a)) {
      fputs(load_help, stdout);
      fputs(load_help_more, stdout);
      goto done;
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
      i++;
    } else if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
               (r = cmd_allow_opt(argc, argv, &i, &copts)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--mode", &mode)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--memory-limit", &mem)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--batch-rows", &batch)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--threads", &threads)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--load-id", &load_id)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--progress", &progress)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--schema-evolution", &evolution)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--partition-by", &partition_by)) != 0 ||
               (r = load_merge_opt(argc, argv, &i, &merge_opts)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
    } else if ((r = cmd_key_value_opt("load", argc, argv, &i, "--property", props,
                                      &n_props)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
    } else {
      status = cmd_usage("load", "unknown option %s", a);
      goto done;
    }
  }
  props[n_props] = NULL;
  struct ice_load_request req;
  ice_load_request_init(&req);
  if (strcmp(mode, "append") == 0)
    req.mode = ICE_MODE_APPEND;
  else if (strcmp(mode, "replace") == 0)
    req.mode = ICE_MODE_REPLACE;
  else if (strcmp(mode, "merge") == 0)
    req.mode = ICE_MODE_MERGE;
  else if (strcmp(mode, "overwrite-partitions") == 0)
    req.mode = ICE_MODE_OVERWRITE_PARTITIONS;
  else {
    status = cmd_usage("load",
                       "--mode must be append, replace, overwrite-partitions or merge, "
                       "not '%s'",
                       mode);
    goto done;
  }
  if (strcmp(evolution, "add") == 0)
    req.schema_evolution = ICE_SCHEMA_EVOLUTION_ADD;
  else if (strcmp(evolution, "relax") == 0)
    req.schema_evolution = ICE_SCHEMA_EVOLUTION_RELAX;
  else if (strcmp(evolution, "strict") == 0)
    req.schema_evolution = ICE_SCHEMA_EVOLUTION_STRICT;
  else {
    status = cmd_usage("load", "--schema-evolution must be add, relax or strict, not '%s'",
                       evolution);
    goto done;
  }
  status = load_merge_finish(&merge_opts, req.mode == ICE_MODE_MERGE, &req.merge);
  if (status != CLI_EXIT_OK) goto done;
  if (mem != NULL && (req.memory_limit = cmd_parse_size(mem)) < 0) {
    status = cmd_usage("load", "--memory-limit '%s' is not a size like 256M", mem);
    goto done;
  }
  /* Checked here, not by the load, so a limit that cannot work is a usage error and
   * never reads as a failure of an input or data file. */
  long long min_limit = (long long)ice_load_min_memory_limit();
  if (mem != NULL && req.memory_limit < min_limit) {
    status = cmd_usage("load", "--memory-limit %s is below the minimum of 1M (%lld B)",
                       mem, min_limit);
    goto done;
  }
  if (batch != NULL) {
    long long b = cmd_parse_size(batch);
    if (b <= 0 || b > (1LL << 30)) {
      status = cmd_usage("load", "--batch-rows '%s' is not a positive row count", batch);
      goto done;
    }
    req.batch_rows = b;
  }
  if (threads != NULL) {
    struct ice_error terr;
    int64_t t = 0;
    if (cli_parse_int64(threads, 1, ICE_LOAD_MAX_THREADS, "--threads", &t, &terr) !=
        ICE_OK) {
      status = cmd_usage("load", "%s", terr.message);
      goto done;
    }
    req.threads = (int)t;
  }
  if (strcmp(progress, "always") == 0)
    load_progress_init(&lp, 1);
  else if (strcmp(progress, "auto") == 0)
    load_progress_init(&lp, isatty(2));
  else if (strcmp(progress, "never") == 0)
    load_progress_init(&lp, 0);
  else {
    status = cmd_usage("load", "--progress must be auto, always or never");
    goto done;
  }
  if (n_pos < 1) {
    status = cmd_usage("load", "missing TABLE");
    goto done;
  }
  if (n_pos < 2) {
    status = cmd_usage("load",
                       "missing INPUT: name at least one Parquet file, directory or glob "
                       "(an empty table comes from `icestream create`)");
    goto done;
  }
  for (size_t i = 1; i < n_pos; i++) {
    status = load_inputs_expand(&inputs, pos[i]);
    if (status != CLI_EXIT_OK) goto done;
  }
  status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) goto done;
  req.inputs = (const char *const *)inputs.items;
  req.n_inputs = inputs.n;
  req.table_props = n_props ? props : NULL;
  req.load_id = load_id;
  req.partition_by = partition_by;
  req.progress = load_progress_report;
  req.progress_user = &lp;
  req.cancel = cli_signal_watch();
  struct ice_commit_info info;
  struct ice_error err;
  ice_error_clear(&err);
  int rc = ice_load_files(cat, pos[0], &req, &info, &err);
  load_progress_end(&lp);
  if (rc == ICE_ECANCELED && *req.cancel) {
    int sig = (int)*req.cancel;
    cli_report(CLI_EXIT_FAIL, "load %s: interrupted by %s; nothing was committed", pos[0],
               sig == SIGINT ? "SIGINT" : "SIGTERM");
    status = 128 + sig;
    goto done;
  }
  if (rc != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "load %s: %s", pos[0], err.message);
    goto done;
  }
  print_result(pos[0], mode, &info, load_progress_now() - lp.started, json);
  if ((ferror(stdout) || fflush(stdout) != 0) && info.committed) {
    int e = errno;
    fprintf(stderr,
            "icestream: warning: load %s: the load was committed (snapshot %lld) but its "
            "summary could not be written to stdout: %s\n",
            pos[0], (long long)info.snapshot_id, strerror(e));
  } else if (ferror(stdout)) {
    status = cli_report(CLI_EXIT_FAIL, "load: writing output failed");
  }
done:
  ice_catalog_close(cat);
  load_inputs_free(&inputs);
  free(props);
  free(pos);
  return status;
}
