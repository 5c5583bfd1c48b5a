#!/usr/bin/env bash
# Redis restarted from an older snapshot (docs/exactly-once.md "When Redis loses
# data"), with one real redis-server and the file source: mid-drain a BGSAVE,
# then the node keeps running until lists it had written before the save have
# been deleted since (user:seq:{u} empties as its 10-min window slides); then
# redis-server is SIGKILLed and restarted from that old dump.rdb. The deleted
# keys are back. The node must see the loss (its marker is older), rewrite every
# key it holds, and sweep Redis for the keys it no longer holds: the oracle diff
# is 0 (before the sweep existed: "unexpected key user:seq:{u} (type list)").
# The sinks' delete journal is off: it would delete those lists again itself,
# and the sweep is what removes keys deleted before the journal's reach.
# (redis_lost_deletes_test.sh is the journal's test.)
# Usage: redis_old_snapshot_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-300000} RATE=${RATE:-8000} DELETED=${DELETED:-200}
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir old-snapshot
PORT=$(free_port)
NODE_PID=
on_exit 'stop_redis "$PORT"'
on_exit '[ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null'
fail_shows '$NODE_LOG' 15

"$BIN" gen --events "$EVENTS" --seed 21 --out "$WORK/events.jsonl" 2>/dev/null
common=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl"
  --set source.partitions=4 --set "redis.port=$PORT" --set sink.delete_journal_ms=0)
r() { redis-cli -p "$PORT" "$@"; }
running() { kill -0 "$NODE_PID" 2>/dev/null || fail "the node finished too early ($1): use more EVENTS or a lower RATE"; }

start_redis "$PORT" "$WORK/redis"
NODE_LOG=$WORK/node.log
# Paced (RATE events/s per partition) so that the save and the deletes after it land mid-drain.
"$BIN" node "${common[@]}" --set "dead_letter.path=$WORK/dead.jsonl" --set "checkpoint.dir=$WORK/checkpoints" \
  --set checkpoint.interval_ms=200 --set node.progress_interval_ms=0 --set sink.stall_timeout_ms=20000 \
  --set "source.max_rate_per_partition=$RATE" --drain --stats "$WORK/node.json" >"$NODE_LOG" 2>&1 &
NODE_PID=$!

# 1. The snapshot, mid-drain.
for _ in $(seq 1 600); do
  [ "$(r dbsize 2>/dev/null || echo 0)" -gt 5000 ] && break
  running "before Redis held 5000 keys"
  sleep 0.02
done
r bgsave >/dev/null
for _ in $(seq 1 200); do  # started with --save '': the only dump.rdb is this one
  [ -f "$WORK/redis/dump.rdb" ] && r info persistence | grep -q '^rdb_bgsave_in_progress:0' && break
  sleep 0.05
done
[ -f "$WORK/redis/dump.rdb" ] || fail "BGSAVE did not finish"
r --scan --pattern 'user:seq:*' >"$WORK/saved-lists.txt"
log "snapshot saved with $(r dbsize) keys, $(wc -l <"$WORK/saved-lists.txt") user:seq lists"

# 2. Keep running until DELETED of those lists are gone from Redis.
absent() {  # the keys of file $1 that Redis does not hold, one EXISTS each in one pipeline
  sed 's/^/EXISTS /' "$1" | r | paste - "$1" | awk '$1 == 0 { print $2 }'
}
gone=0
for _ in $(seq 1 600); do
  absent "$WORK/saved-lists.txt" >"$WORK/gone-lists.txt"
  gone=$(wc -l <"$WORK/gone-lists.txt")
  [ "$gone" -ge "$DELETED" ] && break
  running "only $gone lists deleted since the snapshot"
  sleep 0.05
done
[ "$gone" -ge "$DELETED" ] || fail "only $gone lists were deleted after the snapshot"
running "before the restart"

# 3. Redis comes back from the old dump: those lists are back, stale.
kill -9 "$(cat "$WORK/redis/redis.pid")"
sleep 0.3
start_redis "$PORT" "$WORK/redis"
back=$((gone - $(absent "$WORK/gone-lists.txt" | wc -l)))
log "redis restarted from the old dump.rdb: $gone lists deleted since the snapshot, $back of them back"
code=0
wait "$NODE_PID" || code=$?
NODE_PID=
[ "$code" -eq 0 ] || fail "the node exited $code, expected 0"
[ "$(jq -r .redis_resyncs "$WORK/node.json")" -ge 1 ] || fail "no resync in the stats"
grep -q "lost data it had acknowledged" "$NODE_LOG" || fail "the node did not log the loss"

"$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$PORT" --diff \
  --stats "$WORK/oracle.json" >"$WORK/oracle.log" 2>&1 \
  || { grep -m 5 "unexpected key\|^diff:" "$WORK/oracle.log" >&2; tail -3 "$WORK/oracle.log" >&2
       fail "oracle diff is not zero after Redis came back from an old snapshot"; }
orphans=$(jq -r '.redis_orphans_deleted // 0' "$WORK/node.json")
[ "$orphans" -ge 1 ] || fail "redis_orphans_deleted = $orphans in the stats, expected >= 1"
grep -q "orphan sweep of .*: [0-9]* keys deleted" "$NODE_LOG" || fail "the node did not log the orphan sweep"
log "ok: Redis restarted from an older snapshot mid-drain: resync, $orphans orphan keys deleted, oracle diff 0"
log "PASS"
