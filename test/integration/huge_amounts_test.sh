#!/usr/bin/env bash
# Amounts without silent overflow (issue 14 item 3): a generated log plus
# purchases of 1e15, two of 6e14 (each fits int64 units, their sum does not),
# 9.99e17 (near the 1e18 bound), 1e19 (beyond it) and two non-numbers. The
# 1e19 one is an out_of_range dead letter, the non-numbers bad_json (JSON has
# no NaN or Infinity); purchase_amount and amount_tier of the others are in
# Redis and equal the sums python's Decimal computes; the oracle diff is 0.
# Usage: huge_amounts_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
EVENTS=20000 PARTITIONS=4 SEED=314

work_dir huge-amounts
REDIS_PORT=$(free_port)
on_exit 'stop_redis "$REDIS_PORT"'

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
malformed=$(jq -r .malformed "$WORK/gen.json")

# The whales' purchases, at the log's newest in-range ts (gen also writes year-2100
# rejects): not late, inside the 24 h window.
python3 - "$WORK/events.jsonl" "$WORK/expected.txt" <<'PY'
import json, sys, time
from decimal import Decimal
log, expected = sys.argv[1], sys.argv[2]
ts, now = 0, int(time.time() * 1000)
for line in open(log, "rb"):
    try:
        t = int(json.loads(line)["ts"])
        if t <= now: ts = max(ts, t)
    except Exception: pass
buys = [("whale_1e15", "1e15"), ("whale_2x6e14", "6e14"), ("whale_2x6e14", "6e14"),
        ("whale_999e15", "9.99e17"), ("whale_1e19", "1e19")]
with open(log, "a") as f:
    for user, amount in buys:
        f.write('{"user_id":"%s","behavior":"purchase","item_id":"whale_item","category_id":1,"ts":%d,"amount":%s}\n'
                % (user, ts, amount))
    for amount in ("NaN", "1e400"):
        f.write('{"user_id":"whale_nan","behavior":"purchase","item_id":"whale_item","category_id":1,"ts":%d,"amount":%s}\n'
                % (ts, amount))
sums = {}
for user, amount in buys[:-1]:
    sums[user] = sums.get(user, Decimal(0)) + Decimal(amount)
with open(expected, "w") as f:
    for user, s in sorted(sums.items()): f.write("%s %s\n" % (user, format(s, ".4f")))
PY

common=(--config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS" --set "redis.port=$REDIS_PORT"
  --set "node.progress_interval_ms=0" --set "source.kind=file" --set "source.path=$WORK/events.jsonl")
"$BIN" node "${common[@]}" --set "dead_letter.path=$WORK/dlq.jsonl" --drain --stats "$WORK/node.json" \
  2>"$WORK/node.err" || { cat "$WORK/node.err" >&2; fail "node failed"; }

[ "$(jq -r .rejected_by_reason.out_of_range "$WORK/node.json")" = 1 ] \
  || fail "out_of_range count is $(jq -r .rejected_by_reason.out_of_range "$WORK/node.json"), expected 1 (the 1e19)"
[ "$(jq -s 'map(select(.reason == "out_of_range" and (.payload | contains("whale_1e19")))) | length' "$WORK/dlq.jsonl")" = 1 ] \
  || fail "the 1e19 purchase is not an out_of_range dead letter"
[ "$(jq -s 'map(select(.reason == "bad_json" and (.payload | contains("whale_nan")))) | length' "$WORK/dlq.jsonl")" = 2 ] \
  || fail "NaN and 1e400 are not bad_json dead letters"
[ "$(jq -r .dead_letters "$WORK/node.json")" = $((malformed + 3)) ] || fail "dead letters: $(jq -r .dead_letters "$WORK/node.json")"
[ -z "$(redis-cli -p "$REDIS_PORT" --raw get 'user:stats:{whale_1e19}:purchase_amount')" ] || fail "the rejected 1e19 was counted"

while read -r user sum; do
  got=$(redis-cli -p "$REDIS_PORT" --raw get "user:stats:{$user}:purchase_amount" </dev/null)
  [ "$got" = "$sum" ] || fail "$user: purchase_amount '$got', expected $sum"
  tier=$(redis-cli -p "$REDIS_PORT" --raw hget "user:feature:{$user}" amount_tier </dev/null)
  [ "$tier" = 10 ] || fail "$user: amount_tier '$tier', expected 10 (the largest sums)"
  log "$user: purchase_amount $got, amount_tier $tier"
done < "$WORK/expected.txt"

"$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" --diff \
  || fail "oracle diff is not zero"
log "PASS: sums up to 9.99e17 exact in Redis, 1e19 is out_of_range, NaN/1e400 bad_json, oracle diff 0"
