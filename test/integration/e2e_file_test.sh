#!/usr/bin/env bash
# End to end over the file source: the same check as e2e_kafka_test.sh with
# the JSONL file split into logical partitions by the Kafka partitioner.
# Usage: e2e_file_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 SOURCE=file EVENTS=${EVENTS:-500000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-43}
source "$ROOT/test/integration/lib/e2e.sh"
