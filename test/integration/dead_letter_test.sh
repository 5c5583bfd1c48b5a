#!/usr/bin/env bash
# Dead letters that are always deliverable and always valid JSON (issue 14):
# generated events plus hostile ones (a 10 MB event, bytes that are not UTF-8,
# a 100 KB run of 0xFF) through the file DLQ, then through the Kafka DLQ with a
# topic size limit (dead_letter.kafka_max_message_bytes) that refuses the large
# ones. Every dead-letter line must parse as JSON, keep at most the configured
# bytes with the true size and SHA-256, lose nothing, and the oracle diff of
# the good events stays 0.
# Usage: dead_letter_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
EVENTS=20000 PARTITIONS=8 SEED=44

work_dir dead-letter
REDIS_PORT=$(free_port)
on_exit 'stop_redis "$REDIS_PORT"'
on_exit '[ -n "${MOCK_KAFKA_PID:-}" ] && kill "$MOCK_KAFKA_PID" 2>/dev/null'

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
malformed=$(jq -r .malformed "$WORK/gen.json")

# Hostile events, appended: $1 = size of the large valid-JSON event.
add_hostile() {
  python3 - "$1" "$2" <<'PY'
import sys
big, out = int(sys.argv[1]), sys.argv[2]
with open(out, "ab") as f:
    f.write(b'{"user_id":"big","behavior":"view","ts":1700000000000,"item_id":"i1","category_id":1,"pad":"'
            + b"\xc3\xa9" * (big // 2) + b'"}\n')                       # oversize, valid UTF-8 (é)
    f.write(b'{"user_id":"u\xff\xfe","behavior":"view","ts":1700000000000,"item_id":"i","category_id":1}\n')
    f.write(b"\xff" * 100000 + b"\n")                                    # oversize, no UTF-8 at all
    f.write(b'{"user_id":"c\x01\x02","behavior":"view"}\n')             # control characters
PY
}
hostile=4

# Checks every line of dead-letter file $1: JSON, size, hash, encodings. $2 = max payload bytes.
check_lines() {
  python3 - "$1" "$2" "$WORK/events.jsonl" <<'PY' || fail "dead-letter lines in $1 are not what docs/config.md says"
import base64, hashlib, json, sys
path, limit, events = sys.argv[1], int(sys.argv[2]), sys.argv[3]
originals = {hashlib.sha256(l.rstrip(b"\n")).hexdigest(): l.rstrip(b"\n") for l in open(events, "rb")}
n = 0
for raw in open(path, "rb"):
    n += 1
    d = json.loads(raw)                       # raises on anything that is not one JSON object per line
    orig = originals[d["payload_sha256"]]     # the hash names a real event
    assert d["payload_bytes"] == len(orig), d["payload_bytes"]
    kept = d["payload"].encode() if d["payload_encoding"] == "utf8" else base64.b64decode(d["payload"])
    assert len(kept) <= limit and orig.startswith(kept), (len(kept), limit)
    assert d["payload_truncated"] == (len(kept) < len(orig))
    if d["payload_encoding"] == "utf8": assert len(orig) - len(kept) < 4 or len(kept) > limit - 4
print(f"{n} lines valid", file=sys.stderr)
PY
}

common=(--config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS" --set "redis.port=$REDIS_PORT"
  --set "node.progress_interval_ms=0")

# 1. File source, file DLQ, a 10 MB event.
add_hostile $((10 * 1024 * 1024)) "$WORK/events.jsonl"
file_src=(--set "source.kind=file" --set "source.path=$WORK/events.jsonl")
"$BIN" node "${common[@]}" "${file_src[@]}" --set "dead_letter.path=$WORK/file-dlq.jsonl" --drain \
  --stats "$WORK/node-file.json" 2>"$WORK/node-file.err" || { cat "$WORK/node-file.err" >&2; fail "node (file DLQ) failed"; }
"$BIN" oracle "${common[@]}" "${file_src[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" --diff \
  || fail "oracle diff is not zero (file DLQ)"
expected=$((malformed + hostile))
[ "$(jq -r .dead_letters "$WORK/node-file.json")" = "$expected" ] || fail "file run: dead_letters $(jq -r .dead_letters "$WORK/node-file.json") != $expected"
[ "$(wc -l < "$WORK/file-dlq.jsonl")" = "$expected" ] || fail "file DLQ has $(wc -l < "$WORK/file-dlq.jsonl") lines, expected $expected"
check_lines "$WORK/file-dlq.jsonl" 65536
[ "$(jq -s 'map(select(.payload_encoding == "base64")) | length' "$WORK/file-dlq.jsonl")" -ge 2 ] \
  || fail "the non-UTF-8 events are not base64"
[ "$(stat -c %s "$WORK/file-dlq.jsonl")" -lt $((1024 * 1024)) ] || fail "the 10 MB event was copied whole"
log "file DLQ: $expected dead letters, all valid JSON, the 10 MB event kept as 64 KiB"

# 2. Kafka source and Kafka DLQ whose topic refuses records above 4000 bytes: the large
# dead letters go to the local file with the refusal, the others to events.dlq.
redis-cli -p "$REDIS_PORT" flushall >/dev/null
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
add_hostile $((3 * 1024 * 1024)) "$WORK/events.jsonl"  # the producer's own limit is 4 MiB
start_mock_kafka "$BIN" "$PARTITIONS" events "$WORK"
"$BIN" produce --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --topic events --file "$WORK/events.jsonl"
kafka_src=(--set "source.kind=kafka" --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP")
"$BIN" node "${common[@]}" "${kafka_src[@]}" --set dead_letter.kind=kafka --set "dead_letter.path=$WORK/refused.jsonl" \
  --set dead_letter.kafka_max_message_bytes=4000 --drain --stats "$WORK/node-kafka.json" 2>"$WORK/node-kafka.err" \
  || { cat "$WORK/node-kafka.err" >&2; fail "node (Kafka DLQ) failed"; }
"$BIN" oracle "${common[@]}" "${kafka_src[@]}" --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" --diff \
  || fail "oracle diff is not zero (Kafka DLQ)"
[ "$(jq -r .dead_letters "$WORK/node-kafka.json")" = "$expected" ] || fail "Kafka run: dead_letters $(jq -r .dead_letters "$WORK/node-kafka.json") != $expected"
refused=$(wc -l < "$WORK/refused.jsonl")
[ "$refused" -ge 2 ] && [ "$refused" -lt "$expected" ] || fail "$refused of $expected dead letters went to the file, expected the 2+ large ones only"
check_lines "$WORK/refused.jsonl" 65536
[ "$(jq -s 'map(select(.dlq_error | length > 0)) | length' "$WORK/refused.jsonl")" = "$refused" ] \
  || fail "a refused dead letter does not say why"
grep -q "dead-letter sink: $refused dead letters refused by Kafka topic events.dlq were written to $WORK/refused.jsonl" \
  "$WORK/node-kafka.err" || { cat "$WORK/node-kafka.err" >&2; fail "the node did not report the refused dead letters"; }
! grep -qi "redis" <(grep -i "FAILED" "$WORK/node-kafka.err") || fail "a failure message blames Redis"
log "PASS: $expected dead letters per run; Kafka DLQ refused $refused, kept in the file with the reason; oracle diffs 0"
