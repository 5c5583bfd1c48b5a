#!/usr/bin/env bash
# POST /v1/predict with the demo model (test/data/model): real-time features
# from a drained run and offline tables loaded by `rtfeat materialize`, scores
# equal to python3-xgboost's for the same vectors, vectors equal to Redis and
# the CSVs; bad requests get 400; a missing or corrupt model stops serve at
# start with exit 2 naming the file.
# Usage: serve_predict_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/serve_env.sh"
PY=/usr/bin/python3

serve_env predict
MODEL="$ROOT/test/data/model"

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events 60000 --seed 7 --out "$WORK/events.jsonl" 2>/dev/null
"$BIN" node "${common[@]}" --set source.kind=file --set "source.path=$WORK/events.jsonl" \
  --set "checkpoint.dir=$WORK/checkpoints" --set "dead_letter.path=$WORK/dl.jsonl" --set node.progress_interval_ms=0 \
  --drain 2>"$WORK/node.log" || fail "drain"
"$BIN" materialize "${common[@]}" --table "$MODEL/users.csv" --entity user 2>/dev/null || fail "materialize users"
"$BIN" materialize "${common[@]}" --table "$MODEL/items.csv" --entity item 2>/dev/null || fail "materialize items"

log "a missing or corrupt model: exit 2 naming the file"
set +e
"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$WORK/none.toml" 2>"$WORK/e1.log"; rc1=$?
sed "s|^model = .*|model = \"$MODEL/multiclass.json\"|" "$MODEL/model.toml" >"$WORK/multi.toml"
"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$WORK/multi.toml" 2>"$WORK/e2.log"; rc2=$?
head -c 2000 "$MODEL/model.json" >"$WORK/cut.json"
sed "s|^model = .*|model = \"$WORK/cut.json\"|" "$MODEL/model.toml" >"$WORK/cut.toml"
"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$WORK/cut.toml" 2>"$WORK/e3.log"; rc3=$?
set -e
[ $rc1 = 2 ] && grep -q "none.toml" "$WORK/e1.log" || fail "missing model.toml: rc $rc1 $(cat "$WORK/e1.log")"
[ $rc2 = 2 ] && grep -q "multiclass.json" "$WORK/e2.log" || fail "multiclass model: rc $rc2 $(cat "$WORK/e2.log")"
[ $rc3 = 2 ] && grep -q "cut.json" "$WORK/e3.log" || fail "truncated model: rc $rc3 $(cat "$WORK/e3.log")"

"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$MODEL/model.toml" 2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 1 100); do curl -sf "$URL/readyz" >/dev/null && break; sleep 0.05; done

log "scores = python3-xgboost's for the same vectors; vectors = Redis and the CSVs"
redis-cli -p "$REDIS_PORT" --scan --pattern 'user:feature:*' | sed 's/.*{\(.*\)}.*/\1/' | sort | awk 'NR <= 40' >"$WORK/users"
cut -d, -f1 "$MODEL/items.csv" | tail -n +2 >"$WORK/items"
redis-cli -p "$REDIS_PORT" --scan --pattern 'item:feature:*' | sed 's/.*{\(.*\)}.*/\1/' | sort | awk 'NR <= 300' >>"$WORK/items"
$PY "$ROOT/test/integration/lib/predict_check.py" "$URL" "$REDIS_PORT" "$MODEL" "$WORK/users" "$WORK/items" \
  || fail "predictions differ"

log "bad predict requests get 400"
code() { curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$URL/v1/predict" -d "$1"; }
for case in '{"item_ids":["i1"]}|user_id is required' '{"user_id":"u1"}|item_ids is required' \
  '{"user_id":"u1","item_ids":[]}|nothing to score' '{"user_id":"u 1","item_ids":["i1"]}|user_id: id with' \
  '{"user_id":"u1","item_ids":["i1"],"context":{"hour":"x"}}|context.hour must be a number' \
  '{"user_id":"u1","item_ids":["i1"],"extra":1}|unknown key' '{"user_id":"u1",|malformed JSON at byte'; do
  body=${case%%|*} want=${case##*|}
  [ "$(code "$body")" = 400 ] && grep -qF "$want" "$WORK/body" || fail "$body -> $(cat "$WORK/body")"
done
many=$(seq -f '"i%g"' 1 1001 | paste -sd, -)
[ "$(code "{\"user_id\":\"u1\",\"item_ids\":[$many]}")" = 400 ] || fail "1001 candidates accepted"
curl -s "$URL/metrics" >"$WORK/metrics.txt"
grep -q '^rtfeat_serve_predict_input_absent_total{input="item_price"} [1-9]' "$WORK/metrics.txt" \
  || fail "no absent input counted: $(grep predict_input "$WORK/metrics.txt")"
grep -q '^rtfeat_serve_predict_candidates_total [1-9]' "$WORK/metrics.txt" || fail "no candidates counted"
log "PASS"
