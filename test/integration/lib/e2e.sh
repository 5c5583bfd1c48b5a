# End-to-end check shared by the Kafka and file-source tests: generate events,
# run `rtfeat node --drain`, diff Redis against `rtfeat oracle`, and compare
# the dead-letter and late counts. Source it after setting:
#   BIN (rtfeat), ROOT (repository), SOURCE (kafka|file), EVENTS, PARTITIONS, SEED.
set -euo pipefail
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir "e2e-$SOURCE"
REDIS_PORT=$(free_port)
on_exit 'stop_redis "$REDIS_PORT"'
on_exit '[ -n "${MOCK_KAFKA_PID:-}" ] && kill "$MOCK_KAFKA_PID" 2>/dev/null'

json() { jq -r "$2" "$1"; }

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" --summary "$WORK/gen.json"

common=(--config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS"
  --set "redis.port=$REDIS_PORT")
if [ "$SOURCE" = kafka ]; then
  start_mock_kafka "$BIN" "$PARTITIONS" events "$WORK"
  "$BIN" produce --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --topic events --file "$WORK/events.jsonl"
  common+=(--set "source.kind=kafka" --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP")
else
  common+=(--set "source.kind=file" --set "source.path=$WORK/events.jsonl")
fi

"$BIN" node "${common[@]}" --set "dead_letter.path=$WORK/dead-letter.jsonl" \
  --set "node.progress_interval_ms=5000" --drain --stats "$WORK/node.json"
"$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" \
  --diff --stats "$WORK/oracle.json" || fail "oracle diff is not zero"

# `_ts` checked apart from the oracle: for the two users with the most lines, the
# newest valid event of any behaviour (docs/semantics.md "Freshness": the funnel
# keeps them all), validated here with jq as SPEC §2 says. So active a user's
# newest event is never a late one (the generator makes those 65 s+ too old).
now_ms=$(($(date +%s) * 1000))
for user in $(grep -o '"user_id":"[^"]*"' "$WORK/events.jsonl" | sort | uniq -c | sort -rn | head -2 \
              | sed 's/.*"user_id":"\(.*\)"/\1/'); do
  newest=$(grep -F "\"user_id\":\"$user\"" "$WORK/events.jsonl" | jq -rR --arg u "$user" --argjson now "$now_ms" '
    select(length <= 65536) | fromjson? | objects
    | select(.user_id == $u
        and (.ts | type) == "number" and .ts == (.ts | floor) and .ts >= 946684800000 and .ts <= $now + 86400000
        and (.behavior | IN("view", "click", "cart", "fav", "purchase", "search"))
        and (.behavior == "search" or ((.item_id | type) == "string" and .item_id != ""
                                       and (.category_id | type) == "number" and .category_id == (.category_id | floor))))
    | .ts' | sort -n | tail -1)
  got=$(redis-cli -p "$REDIS_PORT" --raw hget "user:feature:{$user}" _ts)
  [ -n "$newest" ] && [ "$got" = "$newest" ] || fail "_ts of user:feature:{$user} is '$got', its newest valid event has ts '$newest'"
  log "_ts of user:feature:{$user} = $got: its newest valid event"
done

malformed=$(json "$WORK/gen.json" .malformed)
[ "$malformed" -gt 0 ] || fail "the generator made no malformed events"
[ "$(json "$WORK/node.json" .rejected)" = "$malformed" ] || fail "node rejected $(json "$WORK/node.json" .rejected), generator made $malformed malformed"
[ "$(json "$WORK/node.json" .dead_letters)" = "$malformed" ] || fail "dead letters != malformed"
[ "$(wc -l < "$WORK/dead-letter.jsonl")" = "$malformed" ] || fail "dead-letter file has $(wc -l < "$WORK/dead-letter.jsonl") lines, expected $malformed"
late=$(json "$WORK/oracle.json" .late)
[ "$late" -gt 0 ] || fail "the run had no late events: the test would not see lateness bugs"
[ "$(json "$WORK/node.json" .late)" = "$late" ] || fail "node late $(json "$WORK/node.json" .late) != oracle late $late"
[ "$(json "$WORK/node.json" .events_read)" = "$EVENTS" ] || fail "node read $(json "$WORK/node.json" .events_read) of $EVENTS events"
log "PASS: $SOURCE source, $EVENTS events: zero differences, $malformed dead letters, $late late"
