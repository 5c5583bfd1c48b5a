#!/usr/bin/env bash
# End to end over Kafka (librdkafka mock cluster in its own process): 500 000
# generated events with out-of-order, late and malformed ones, one node
# draining into a real redis-server, zero differences against the oracle.
# Usage: e2e_kafka_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 SOURCE=kafka EVENTS=${EVENTS:-500000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-42}
source "$ROOT/test/integration/lib/e2e.sh"
