#!/usr/bin/env bash
# Faults and stops of `rtfeat node` (issue 14, docs/operations.md), with real
# redis-servers and the file source: Redis SIGKILLed mid-drain (no death by
# SIGPIPE, errors name the address, writes resume), Redis out of memory (a drain
# fails with exit 1 after sink.stall_timeout_ms instead of hanging), SIGTERM
# during a stalled drain (ends within node.shutdown_timeout_ms, exit 6), and a
# second SIGTERM (exit 143 at once).
# Usage: node_lifecycle_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-300000}
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir lifecycle
PORTS=()
NODE_PID=
on_exit 'for p in "${PORTS[@]}"; do stop_redis "$p"; done'
on_exit '[ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null'
fail_shows '$NODE_LOG' 15
now_ms() { date +%s%3N; }

"$BIN" gen --events "$EVENTS" --seed 5 --out "$WORK/events.jsonl" 2>/dev/null

# Starts a draining node against Redis on port $1 (more --set args follow) in
# the background: NODE_PID, NODE_LOG.
start_node() {
  local port=$1 name=$2
  NODE_LOG=$WORK/$name.log
  "$BIN" node --config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl" \
    --set source.partitions=4 --set "redis.port=$port" --set "dead_letter.path=$WORK/$name-dead.jsonl" \
    --set "checkpoint.dir=$WORK/$name-checkpoints" --set checkpoint.interval_ms=200 \
    --set node.progress_interval_ms=0 "${@:3}" --drain --stats "$WORK/$name.json" >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
}
# Waits for the node; sets CODE and ELAPSED_MS (since $1).
wait_node() {
  CODE=0
  wait "$NODE_PID" || CODE=$?
  NODE_PID=
  ELAPSED_MS=$(($(now_ms) - $1))
}
# Waits up to 20 s for the node's log to match $1.
wait_log() {
  for _ in $(seq 1 400); do
    grep -q "$1" "$NODE_LOG" && return 0
    kill -0 "$NODE_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "the node never logged '$1'"
}
expect_stats() {
  grep -q '^node: done: read=' "$NODE_LOG" || fail "no summary line"
  [ -s "$WORK/$1.json" ] || fail "no --stats file"
}

# 1. Redis SIGKILLed while the node writes, then back (empty) on the same port.
port=$(free_port); PORTS+=("$port")
start_redis "$port" "$WORK/redis-kill"
start_node "$port" kill --set sink.stall_timeout_ms=20000
for _ in $(seq 1 400); do
  [ "$(redis-cli -p "$port" dbsize 2>/dev/null || echo 0)" -gt 1000 ] && break
  sleep 0.02
done
kill -9 "$(cat "$WORK/redis-kill/redis.pid")"
sleep 1
kill -0 "$NODE_PID" 2>/dev/null || { wait_node 0; fail "the node died with Redis (exit $CODE) instead of retrying"; }
wait_log "redis sink: redis 127.0.0.1:$port: "
start_redis "$port" "$WORK/redis-kill"
wait_node "$(now_ms)"
[ "$CODE" -eq 0 ] || fail "a drain whose Redis came back exited $CODE, expected 0"
grep -q "redis 127.0.0.1:$port takes writes again" "$NODE_LOG" || fail "no line saying Redis takes writes again"
expect_stats kill
log "ok: Redis SIGKILLed mid-drain: errors logged with the address, writes resumed, exit 0"
stop_redis "$port"

# 2. Redis out of memory: the drain fails with exit 1 once writes stalled for 2 s.
port=$(free_port); PORTS+=("$port")
start_redis "$port" "$WORK/redis-oom" --maxmemory 1mb --maxmemory-policy noeviction
started=$(now_ms)
start_node "$port" oom --set sink.stall_timeout_ms=2000
wait_node "$started"
[ "$CODE" -eq 1 ] || fail "a drain into an OOM Redis exited $CODE, expected 1"
[ "$ELAPSED_MS" -lt 12000 ] || fail "the stalled drain took $ELAPSED_MS ms (stall timeout 2000 ms)"
grep -q "refused every write for .*OOM" "$NODE_LOG" || fail "the reason (OOM, stall) is not in the log"
grep -q "exit 1 (failed): redis 127.0.0.1:$port refused every write" "$NODE_LOG" || fail "no exit line with the reason"
expect_stats oom
log "ok: OOM Redis: drain failed with exit 1 in $ELAPSED_MS ms, reason logged"

# 3. SIGTERM during a stalled drain: done within node.shutdown_timeout_ms (3 s), exit 6.
start_node "$port" term --set sink.stall_timeout_ms=0 --set node.shutdown_timeout_ms=3000
wait_log "error reply: OOM"
sent=$(now_ms)
kill -TERM "$NODE_PID"
wait_node "$sent"
[ "$CODE" -eq 6 ] || fail "SIGTERM during a stalled drain exited $CODE, expected 6"
[ "$ELAPSED_MS" -le 4000 ] || fail "SIGTERM took $ELAPSED_MS ms, shutdown timeout is 3000 ms"
grep -q "final checkpoint.*skipped\|skipped.*final checkpoint\|no final checkpoint (skipped" "$NODE_LOG" \
  || fail "the node did not say that the final checkpoint is skipped"
expect_stats term
log "ok: SIGTERM during a stalled drain: exit 6 after $ELAPSED_MS ms"

# 4. A second SIGTERM exits at once, even with a long shutdown timeout.
start_node "$port" twice --set sink.stall_timeout_ms=0 --set node.shutdown_timeout_ms=60000
wait_log "error reply: OOM"
kill -TERM "$NODE_PID"
sleep 0.3
sent=$(now_ms)
kill -TERM "$NODE_PID"
wait_node "$sent"
[ "$CODE" -eq 143 ] || fail "a second SIGTERM exited $CODE, expected 143"
[ "$ELAPSED_MS" -le 1000 ] || fail "a second SIGTERM took $ELAPSED_MS ms"
grep -q "second stop signal" "$NODE_LOG" || fail "the node did not say why it exited"
expect_stats twice
log "ok: second SIGTERM: exit 143 after $ELAPSED_MS ms"
log "PASS"
