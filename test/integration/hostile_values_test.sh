#!/usr/bin/env bash
# Hostile values (issue 14 item 2): one event stamped 12 h ahead of the traffic,
# inside the parser's accepted range. With watermark.max_future_skew_ms off it
# poisons its partition's watermark (many late drops, SPEC §4a literally); with
# it on the event is a future_ts dead letter and lateness stays what the clean
# log has. Two events that agree are a real jump and are accepted. A skew bound
# not above out_of_orderness is a config error. Oracle diffs are 0 throughout.
# Usage: hostile_values_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
EVENTS=20000 PARTITIONS=8 SEED=45 SKEW=600000 H12=43200000

work_dir hostile
REDIS_PORT=$(free_port)
on_exit 'stop_redis "$REDIS_PORT"'

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/clean.jsonl" --summary "$WORK/gen.json"

# inject SRC OUT AT USER OFFSET...: copies SRC with, after line AT, one click by USER
# per OFFSET, stamped OFFSET ms after the largest ts of the first AT lines.
inject() {
  python3 - "$@" <<'PY'
import json, sys, time
src, out, at, user, offsets = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
lines = open(src, "rb").read().split(b"\n")
top, now = 0, int(time.time() * 1000)
for l in lines[:at]:
    try: ts = json.loads(l)["ts"]
    except Exception: continue
    if isinstance(ts, int) and ts < now: top = max(top, ts)  # gen's malformed ts (year 2100) do not count
# An item and category of its own: an item in two categories is outside the contract.
extra = [json.dumps({"user_id": user, "behavior": "click", "item_id": "x-" + user, "category_id": 987654,
                     "ts": top + int(o)}).encode() for o in offsets]
open(out, "wb").write(b"\n".join(lines[:at] + extra + lines[at:]))
PY
}

# run NAME EVENTS [--set k=v...]: drained node, then the oracle diff; stats in $WORK/NAME.json.
run() {
  local name=$1 events=$2
  shift 2
  local args=(--config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS"
    --set "redis.port=$REDIS_PORT" --set "node.progress_interval_ms=0" --set "checkpoint.interval_ms=0"
    --set "source.kind=file" --set "source.path=$events" --set "dead_letter.path=$WORK/$name-dlq.jsonl" "$@")
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  "$BIN" node "${args[@]}" --drain --stats "$WORK/$name.json" 2>"$WORK/$name.err" \
    || { cat "$WORK/$name.err" >&2; fail "$name: node failed"; }
  "$BIN" oracle "${args[@]}" --events "$events" --redis "127.0.0.1:$REDIS_PORT" --diff >"$WORK/$name-oracle.out" \
    || { cat "$WORK/$name-oracle.out" >&2; fail "$name: oracle diff is not zero"; }
}
stat_of() { jq -r "$2" "$WORK/$1.json"; }

# (a) One event 12 h ahead, early in the log.
inject "$WORK/clean.jsonl" "$WORK/one.jsonl" 2000 clockless "$H12"
run clean "$WORK/clean.jsonl"
run poisoned "$WORK/one.jsonl"
run protected "$WORK/one.jsonl" --set "watermark.max_future_skew_ms=$SKEW"
clean_late=$(stat_of clean .late) poisoned_late=$(stat_of poisoned .late) protected_late=$(stat_of protected .late)
log "late drops: clean log $clean_late, +12 h event with the rule off $poisoned_late, with it on $protected_late"
[ "$poisoned_late" -ge $((clean_late + 500)) ] \
  || fail "the +12 h event did not poison the watermark with the rule off ($poisoned_late late vs $clean_late)"
[ "$protected_late" = "$clean_late" ] || fail "with max_future_skew_ms, $protected_late late, the clean log has $clean_late"
[ "$(stat_of poisoned .rejected_by_reason.future_ts)" = 0 ] || fail "future_ts with the rule off"
[ "$(stat_of protected .rejected_by_reason.future_ts)" = 1 ] || fail "the +12 h event is not a future_ts rejection"
[ "$(jq -s 'map(select(.reason == "future_ts")) | length' "$WORK/protected-dlq.jsonl")" = 1 ] \
  || fail "no future_ts dead letter"
grep -q "node: partition [0-9]* dropped [0-9]* late events (watermark" "$WORK/poisoned.err" \
  || { cat "$WORK/poisoned.err" >&2; fail "late drops were silent on stderr"; }

# (b) Two events 12 h ahead that agree (1 s apart): a real jump, the second is accepted.
inject "$WORK/clean.jsonl" "$WORK/two.jsonl" "$EVENTS" jumper "$H12" "$((H12 + 1000))"
run jump "$WORK/two.jsonl" --set "watermark.max_future_skew_ms=$SKEW"
[ "$(stat_of jump .rejected_by_reason.future_ts)" = 1 ] || fail "jump: $(stat_of jump .rejected_by_reason.future_ts) future_ts, expected the first event only"
[ "$(redis-cli -p "$REDIS_PORT" zcard 'user:session:{jumper}')" = 1 ] || fail "jump: the agreeing event is not in Redis"

# (c) A skew bound not above out_of_orderness (5000) is refused before anything runs.
set +e
"$BIN" node --config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT" --set "source.kind=file" \
  --set "source.path=$WORK/clean.jsonl" --set watermark.max_future_skew_ms=5000 --drain 2>"$WORK/bad.err"
code=$?
set -e
[ "$code" = 2 ] || fail "max_future_skew_ms = out_of_orderness: exit $code, expected 2"
grep -q "watermark.max_future_skew_ms: must exceed watermark.out_of_orderness_ms (5000)" "$WORK/bad.err" \
  || { cat "$WORK/bad.err" >&2; fail "no clear config error"; }
log "PASS: late $clean_late clean, $poisoned_late poisoned, $protected_late protected; a jump of 2 agreeing events accepted; oracle diffs 0"
