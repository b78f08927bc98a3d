/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crash-test hook: when the environment variable ICESTREAM_TEST_KILL_AT names a stage,
 * the process kills itself with SIGKILL on reaching it, so tests can prove that a load
 * killed at any point leaves the table unchanged. Only in builds with ICE_TEST_HOOKS
 * (a no-op otherwise); harmless when unset.
 *
 * Stages, in order: "validated" (all inputs checked), "data-file" (after the first data
 * file is complete), "data-written" (all data files and manifests written),
 * "metadata-written" (manifest list and metadata JSON written, before the catalog
 * swap), "committed" (right after the swap). A merge adds "merge-spilling" (its key
 * index just moved to spill files), "merge-indexed" (every input row indexed),
 * "merge-probed" (the table's rows matched) and "merge-stored" (rewrites or position
 * deletes written), between "validated" and "data-written". A load into a partitioned
 * table adds "partition-spilling" (the first rows just went to a temporary run because
 * every partition writer was taken), between "validated" and "data-written".
 * ICESTREAM_TEST_WAIT_AT=<stage> + ICESTREAM_TEST_WAIT_FILE=<path> pause at a stage
 * until the file exists instead.
 *
 * ICESTREAM_TEST_SLEEP_AT=<stage>:<ms> makes the process sleep ms milliseconds at that
 * stage instead, so a test can hold two loads between reading the table and committing
 * and make them race for sure (same builds only).
 */
#ifndef ICE_UTIL_KILLPOINT_H
#define ICE_UTIL_KILLPOINT_H

void ice_killpoint(const char *stage);

#endif
