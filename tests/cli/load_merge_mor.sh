#!/usr/bin/env bash
# Every merge of load_merge.sh again on merge-on-read tables (write.merge.mode): stored
# rows are removed by position delete files, no data file is rewritten, and readers we
# did not write agree with `icestream scan`.
MERGE_MODE=merge-on-read exec bash "$(dirname "$0")/load_merge.sh"
