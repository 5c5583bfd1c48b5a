#!/usr/bin/env bash
# Redis loses a field delete of a key the state still holds (docs/exactly-once.md
# "When Redis loses data"): the resync's rewrite writes only what the state holds
# and the orphan sweep removes only whole keys, so only the sink's delete journal
# (sink.delete_journal_ms) removes the field again. Deterministic, one partition,
# paced: u_lost clicks category 901 (item i_lost) at T; a snapshot is saved; at
# T+29m u_lost clicks category 902 (the user's hash stays held) and at T+44m
# someone views i_lost (its hash stays held by item_popularity); the watermark
# passes T+30m, so the state deletes cat:901 and i_lost's clicks/click_pct;
# then redis-server restarts from the snapshot, which has them. Oracle diff 0
# (with sink.delete_journal_ms=0: "unexpected field" for both).
# Usage: redis_lost_deletes_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 RATE=${RATE:-2000} JOURNAL_MS=${JOURNAL_MS:-10000}
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir lost-deletes
PORT=$(free_port)
NODE_PID=
on_exit 'stop_redis "$PORT"'
on_exit '[ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null'
fail_shows '$WORK/node.log' 15
fail_shows '$WORK/redis/redis.log' 5

# The events: fillers (users f*, items if*, category 950) pace the wall time between the steps.
awk -v rate="$RATE" 'function ev(u, b, i, c, ts) {
    printf "{\"user_id\":\"%s\",\"behavior\":\"%s\",\"item_id\":\"%s\",\"category_id\":%d,\"ts\":%.0f,\"price\":10.0,\"region\":\"gz\"}\n", u, b, i, c, ts }
  function fill(n, from, span,   k) { for (k = 0; k < n; ++k) ev("f" k % 97, "view", "if" k % 89, 950, from + int(k * span / n)) }
  BEGIN {
    T = 1767225600000; m = 60000
    ev("u_lost", "click", "i_lost", 901, T)
    fill(3 * rate, T, m)                      # 3 s: the snapshot is taken in here
    ev("u_lost", "click", "i_keep", 902, T + 29 * m)
    fill(rate, T + 29 * m, m)
    ev("u_other", "view", "i_lost", 901, T + 44 * m)
    fill(6 * rate, T + 44 * m, m)             # 6 s: Redis is restarted from the snapshot in here
  }' >"$WORK/events.jsonl"
common=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl"
  --set source.partitions=1 --set "redis.port=$PORT")
r() { redis-cli -p "$PORT" "$@"; }
running() { kill -0 "$NODE_PID" 2>/dev/null || fail "the node finished too early ($1): use a lower RATE"; }
# wait_for WHAT CMD...: until CMD succeeds, the node still running.
wait_for() {
  local what=$1; shift
  for _ in $(seq 1 500); do
    "$@" && return 0
    running "$what"
    sleep 0.02
  done
  fail "timed out waiting for $what"
}
field_at() { [ "$(redis-cli -p "$1" hexists "$2" "$3" 2>/dev/null)" = 1 ]; }  # PORT KEY FIELD
has() { field_at "$PORT" "$@"; }
lost_fields_held() { has 'user:feature:{u_lost}' cat:901 && has 'item:feature:{i_lost}' clicks; }
lost_fields_gone() {
  ! has 'user:feature:{u_lost}' cat:901 && ! has 'item:feature:{i_lost}' clicks \
    && has 'user:feature:{u_lost}' cat:902 && has 'item:feature:{i_lost}' realtime_popularity
}

start_redis "$PORT" "$WORK/redis"
"$BIN" node "${common[@]}" --set "dead_letter.path=$WORK/dead.jsonl" --set "checkpoint.dir=$WORK/checkpoints" \
  --set checkpoint.interval_ms=200 --set node.progress_interval_ms=0 --set sink.stall_timeout_ms=20000 \
  --set "source.max_rate_per_partition=$RATE" --set "sink.delete_journal_ms=$JOURNAL_MS" \
  --drain --stats "$WORK/node.json" >"$WORK/node.log" 2>&1 &
NODE_PID=$!

wait_for "u_lost's cat:901 and i_lost's clicks in Redis" lost_fields_held
r bgsave >/dev/null
saved() { [ -f "$WORK/redis/dump.rdb" ] && r info persistence | grep -q '^rdb_bgsave_in_progress:0'; }
wait_for "the snapshot" saved
# What the restarted Redis will hold, read from a copy of the snapshot (the node
# may write to the restarted one before this script could look).
CHECK_PORT=$(free_port)
mkdir -p "$WORK/check" && cp "$WORK/redis/dump.rdb" "$WORK/check/"
on_exit 'stop_redis "$CHECK_PORT"'
start_redis "$CHECK_PORT" "$WORK/check"
field_at "$CHECK_PORT" 'user:feature:{u_lost}' cat:901 && field_at "$CHECK_PORT" 'item:feature:{i_lost}' clicks \
  || fail "the snapshot lacks u_lost's cat:901 or i_lost's clicks"
stop_redis "$CHECK_PORT"
wait_for "the state to delete cat:901 and clicks while holding both keys" lost_fields_gone
REDIS_PID=$(cat "$WORK/redis/redis.pid")
kill -9 "$REDIS_PID"
for _ in $(seq 1 250); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.02; done  # its port free again
start_redis "$PORT" "$WORK/redis" || fail "redis-server did not restart: $(tail -3 "$WORK/redis/redis.log")"
log "redis restarted from a snapshot that still has the fields the state deleted since"
running "before the restarted Redis got a write"

code=0
wait "$NODE_PID" || code=$?
NODE_PID=
[ "$code" -eq 0 ] || fail "the node exited $code, expected 0"
[ "$(jq -r .redis_resyncs "$WORK/node.json")" -ge 1 ] || fail "no resync in the stats"
grep -E "resync: [0-9]+ deletes" "$WORK/node.log" >&2 || fail "the node did not log the resync"
"$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$PORT" --diff \
  >"$WORK/oracle.log" 2>&1 \
  || { grep -m 5 "unexpected\|^diff:" "$WORK/oracle.log" >&2; fail "oracle diff is not zero after the lost deletes"; }
log "ok: the deletes Redis lost were written again, oracle diff 0"
log "PASS"
