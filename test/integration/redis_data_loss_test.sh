#!/usr/bin/env bash
# Redis that loses data (issue 14 item 1, docs/exactly-once.md "When Redis loses
# data"), with real redis-servers and the file source; each case ends with an
# oracle diff of 0, HyperLogLogs included:
# 1. Redis SIGKILLed mid-drain and restarted empty on the same port: the sinks'
#    dataset markers are gone, the node resyncs every key and exits 0.
# 2. FLUSHALL mid-drain: the same, without a reconnect.
# 3. FLUSHALL after a finished drain, then `node --restore latest --drain
#    --resync`: everything comes back from the checkpoint alone.
# Usage: redis_data_loss_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-300000}
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir data-loss
PORT=$(free_port)
NODE_PID=
on_exit 'stop_redis "$PORT"'
on_exit '[ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null'
fail_shows '$NODE_LOG' 15

"$BIN" gen --events "$EVENTS" --seed 14 --out "$WORK/events.jsonl" 2>/dev/null
common=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl"
  --set source.partitions=4 --set "redis.port=$PORT")

# A draining node in the background with its checkpoints in $2 (more args
# follow): NODE_PID, NODE_LOG.
start_node() {
  local name=$1
  NODE_LOG=$WORK/$name.log
  "$BIN" node "${common[@]}" --set "dead_letter.path=$WORK/$name-dead.jsonl" \
    --set "checkpoint.dir=$WORK/$2" --set checkpoint.interval_ms=200 \
    --set node.progress_interval_ms=0 --set sink.stall_timeout_ms=20000 "${@:3}" \
    --drain --stats "$WORK/$name.json" >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
}
wait_node() {
  local code=0
  wait "$NODE_PID" || code=$?
  NODE_PID=
  [ "$code" -eq 0 ] || fail "$1: the node exited $code, expected 0"
}
# Waits until Redis holds more than $1 keys while the node still runs.
wait_keys() {
  for _ in $(seq 1 1000); do
    [ "$(redis-cli -p "$PORT" dbsize 2>/dev/null || echo 0)" -gt "$1" ] && return 0
    kill -0 "$NODE_PID" 2>/dev/null || fail "the node finished before Redis held $1 keys: use more EVENTS"
    sleep 0.01
  done
  fail "Redis never held $1 keys"
}
oracle_diff() {
  "$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$PORT" --diff \
    --stats "$WORK/oracle-$1.json" >"$WORK/oracle-$1.log" 2>&1 \
    || { tail -20 "$WORK/oracle-$1.log" >&2; fail "$1: oracle diff is not zero"; }
}
expect_resync() {
  local n
  n=$(jq -r .redis_resyncs "$WORK/$1.json")
  [ "$n" -ge 1 ] || fail "$1: redis_resyncs = $n in the stats, expected >= 1"
  grep -q "lost data it had acknowledged" "$NODE_LOG" || fail "$1: the node did not log the loss"
}

# 1. SIGKILL, restarted empty.
start_redis "$PORT" "$WORK/redis"
start_node killed killed-checkpoints
wait_keys 2000
kill -9 "$(cat "$WORK/redis/redis.pid")"
sleep 0.5
start_redis "$PORT" "$WORK/redis"
wait_node "Redis restarted empty"
expect_resync killed
oracle_diff killed
log "ok: Redis SIGKILLed and restarted empty mid-drain: resync, oracle diff 0"

# 2. FLUSHALL while the node writes.
redis-cli -p "$PORT" flushall >/dev/null
start_node flushed flushed-checkpoints
wait_keys 2000
redis-cli -p "$PORT" flushall >/dev/null
wait_node "FLUSHALL mid-drain"
expect_resync flushed
oracle_diff flushed
log "ok: FLUSHALL mid-drain: resync, oracle diff 0"

# 3. Lost after the run: the checkpoint alone brings everything back.
redis-cli -p "$PORT" flushall >/dev/null
start_node restored flushed-checkpoints --restore latest --resync
wait_node "--restore latest --resync"
grep -q "restored" "$NODE_LOG" || fail "--restore latest did not restore the checkpoint"
oracle_diff restored
log "ok: FLUSHALL after the drain, --restore latest --resync: oracle diff 0"
log "PASS"
