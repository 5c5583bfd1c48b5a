# End-to-end check shared by the Kafka and file-source tests: generate events,
# run `rtfeat node --drain`, diff Redis against `rtfeat oracle`, and compare
# the dead-letter and late counts. Source it after setting:
#   BIN (rtfeat), ROOT (repository), SOURCE (kafka|file), EVENTS, PARTITIONS, SEED.
set -euo pipefail
source "$ROOT/scripts/lib/common.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtfeat-e2e-$SOURCE.XXXXXX")
REDIS_PORT=$(free_port)
cleanup() {
  [ -n "${MOCK_KAFKA_PID:-}" ] && kill "$MOCK_KAFKA_PID" 2>/dev/null || true
  stop_redis "$REDIS_PORT"
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() { log "FAIL: $*"; exit 1; }
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
