#!/usr/bin/env bash
# A drain of 500 000 events into a Redis Cluster of 3 masters + 3 replicas:
# every key on the master of its slot (the oracle reads each master), oracle
# diff 0, the keys spread over all three masters, and the sinks' markers on
# every master; then an offline table materialized into the same cluster.
# docs/redis-cluster.md.
# Usage: redis_cluster_e2e_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/redis_cluster.sh"
work_dir redis-cluster-e2e
fail_shows '$WORK/node.log' 20

start_redis_cluster 3 1
"$BIN" gen --events 500000 --seed 11 --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
cluster_job_flags "$WORK/events.jsonl"
# The article's allkeys-lru on one master: the node must warn that it would evict feature keys.
LRU_MASTER=$(redis_cluster_masters | tail -1)
redis-cli -p "$LRU_MASTER" CONFIG SET maxmemory 2gb >/dev/null
redis-cli -p "$LRU_MASTER" CONFIG SET maxmemory-policy allkeys-lru >/dev/null
"$BIN" node "${CLUSTER_JOB[@]}" --set "dead_letter.path=$WORK/dead-letter.jsonl" --set "checkpoint.dir=$WORK/cp" \
  --set node.progress_interval_ms=5000 --drain --stats "$WORK/node.json" 2>"$WORK/node.log" \
  || fail "the node did not drain into the cluster"
grep -q "warning: redis 127.0.0.1:$LRU_MASTER has maxmemory 2147483648 with maxmemory-policy allkeys-lru" "$WORK/node.log" \
  || fail "no start-up warning about the master that would evict feature keys"
[ "$(grep -c 'maxmemory-policy' "$WORK/node.log")" = 1 ] || fail "a warning about a master that does not evict"
"$BIN" oracle "${CLUSTER_JOB[@]}" --events "$WORK/events.jsonl" --diff >"$WORK/oracle.out" 2>"$WORK/oracle.err" \
  || { cat "$WORK/oracle.out" >&2; fail "oracle diff against the cluster is not zero"; }
grep '^diff:' "$WORK/oracle.out" >&2
grep -q 'reading 3 Redis Cluster masters' "$WORK/oracle.err" || fail "the oracle did not read the three masters"

for p in $(redis_cluster_masters); do
  keys=$(redis-cli -p "$p" DBSIZE)
  markers=$(redis-cli -p "$p" --scan --pattern '__rtfeat__:marker:*' | wc -l)
  log "master $p: $keys keys, $markers sink marker(s)"
  [ "$keys" -gt 10000 ] || fail "master $p holds only $keys keys: the keys are not spread over the masters"
  [ "$markers" -ge 1 ] || fail "master $p has no sink marker: a failover there would go unnoticed"
done
# rtfeat materialize: every row on its slot's master, whole (one MULTI/EXEC per row).
{ echo "user_id,age_band,segment"; for i in $(seq 1 3000); do echo "mu$i,$((i % 7)),s$((i % 5))"; done; } >"$WORK/users.csv"
"$BIN" materialize "${CLUSTER_JOB[@]}" --table "$WORK/users.csv" --entity user 2>"$WORK/materialize.log" \
  || { cat "$WORK/materialize.log" >&2; fail "materialize into the cluster failed"; }
for i in 1 777 1500 2999 3000; do
  got=$(redis-cli -c -p "${REDIS_CLUSTER_PORTS[0]}" HGET "user:offline:{mu$i}" segment)
  [ "$got" = "s$((i % 5))" ] || fail "user:offline:{mu$i} segment is '$got', the table says s$((i % 5))"
done
rows=0
for p in $(redis_cluster_masters); do rows=$((rows + $(redis-cli -p "$p" --scan --pattern 'user:offline:*' | wc -l))); done
[ "$rows" = 3000 ] || fail "the masters hold $rows offline rows, the table has 3000"

[ "$(jq .redis_resyncs "$WORK/node.json")" = 0 ] || fail "a resync happened although no node of the cluster failed"
log "redis cluster e2e: $(jq .redis_commands "$WORK/node.json") commands for $(jq .events_read "$WORK/node.json") events; ok in ${SECONDS}s"
