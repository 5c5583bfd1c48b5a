#!/usr/bin/env bash
# A Redis Cluster master dies mid-drain and its replica, which had missed the
# master's last writes, is promoted: the sinks ride out CLUSTERDOWN, find the
# promoted replica's marker older than what the dead master acknowledged, and
# resync (every shard rewrites its keys). The run finishes, oracle diff 0.
#
# How the replica misses writes, deterministically: its replication user is
# made one the master does not know, and the master drops its replica link,
# so the replica cannot reconnect; the master keeps taking (and acknowledging)
# writes for a while, then gets SIGKILL.
# Usage: redis_cluster_failover_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/redis_cluster.sh"
work_dir redis-cluster-failover
fail_shows '$WORK/node.log' 30

start_redis_cluster 3 1 1000
start_cluster_drain 600000 12
# Mid-run: the node has written a good part of the keys.
wait_cluster_keys 30000 failover
MASTER=$(redis_cluster_masters | head -1)
REPLICA=$(redis-cli -p "$MASTER" INFO replication | sed -n 's/^slave0:.*port=\([0-9]*\),.*/\1/p')
[ -n "$REPLICA" ] || fail "master $MASTER has no replica"
# Validity factor 0: promoted however long it was cut off (a failed handshake
# makes Redis count its data as infinitely old otherwise).
redis-cli -p "$REPLICA" CONFIG SET cluster-replica-validity-factor 0 >/dev/null
redis-cli -p "$REPLICA" CONFIG SET masteruser rtfeat-cut-off >/dev/null
redis-cli -p "$REPLICA" CONFIG SET masterauth not-the-password >/dev/null
redis-cli -p "$MASTER" CLIENT KILL TYPE replica >/dev/null
sleep 0.5  # the master acknowledges writes its replica never receives
offsets=$(redis-cli -p "$MASTER" INFO replication | grep -E '^master_repl_offset')
MASTER_PID=$(redis-cli -p "$MASTER" INFO server | sed -n 's/^process_id:\([0-9]*\).*/\1/p' | tr -d '\r')
kill -9 "$MASTER_PID"
killed_at=$SECONDS
log "master $MASTER (pid $MASTER_PID, $offsets) killed; its replica $REPLICA was cut off $(redis-cli -p "$REPLICA" INFO replication | grep -E '^slave_repl_offset' | tr -d '\r')"

for _ in $(seq 1 300); do
  [ "$(redis-cli -p "$REPLICA" ROLE | head -1)" = master ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$REPLICA" ROLE | head -1)" = master ] || fail "replica $REPLICA was not promoted within 30 s"
wait_redis_cluster_ok "$REPLICA" 30
log "replica $REPLICA promoted after $((SECONDS - killed_at)) s"

wait "$NODE_PID" || fail "the node did not finish after the failover"
NODE_PID=
grep -E 'lost data it had acknowledged|takes writes again' "$WORK/node.log" | head -5 >&2 || true
resyncs=$(jq .redis_resyncs "$WORK/node.json")
[ "$resyncs" -ge 1 ] || fail "no resync: the sinks did not notice the writes the promoted replica lacks"
"$BIN" oracle "${CLUSTER_JOB[@]}" --events "$WORK/events.jsonl" --diff >"$WORK/oracle.out" 2>"$WORK/oracle.err" \
  || { cat "$WORK/oracle.out" "$WORK/oracle.err" >&2; fail "oracle diff after the failover is not zero"; }
grep '^diff:' "$WORK/oracle.out" >&2
log "redis cluster failover: $resyncs resync(s), diff 0; ok in ${SECONDS}s"
