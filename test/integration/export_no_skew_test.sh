#!/usr/bin/env bash
# No training/serving skew: `rtfeat export` gives a label at time T exactly the
# vector POST /v1/predict returns once the engine has read the log up to T.
# For three moments, the engine drains the log's prefix (the lines before the
# label's cut, which export reports with --log-lines) into a fresh Redis, serve
# answers /v1/predict with return_inputs for sampled (user, item) pairs, and
# every input must equal export's row for that pair and moment.
# Usage: export_no_skew_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/serve_env.sh"
PY=/usr/bin/python3

serve_env export
MODEL="$ROOT/test/data/model"

start_redis "$REDIS_PORT" "$WORK/redis"
# The demo model's world (test/data/model/train_model.py), so items.csv's categories are the log's;
# 5 events/s of event time: 2.5 h, so windows slide between the moments.
"$BIN" gen --events 45000 --seed 7 --users 500 --items 300 --categories 12 --rate 5 \
  --out "$WORK/events.jsonl" 2>/dev/null
$PY "$ROOT/test/integration/lib/export_check.py" labels "$WORK/events.jsonl" "$WORK/labels.csv" \
  || fail "making labels"
"$BIN" export --config "$ROOT/config/rtfeat.toml" --model "$MODEL/model.toml" --events "$WORK/events.jsonl" \
  --labels "$WORK/labels.csv" --user-table "$MODEL/users.csv" --item-table "$MODEL/items.csv" \
  --out "$WORK/train.csv" --log-lines 2>"$WORK/export.log" || fail "export: $(cat "$WORK/export.log")"
grep -q "rtfeat export: 360 labels (0 bad, skipped) x 10 inputs" "$WORK/export.log" \
  || fail "export summary: $(cat "$WORK/export.log")"
# A HyperLogLog input: export must give PFCOUNT's estimate, which serve's feature API reads.
printf 'model = "none.json"\nid = "uv"\n[[input]]\nname = "item_uv"\nsource = "item.item_unique_visitors"\ndefault = 0\n' \
  >"$WORK/uv.toml"
"$BIN" export --config "$ROOT/config/rtfeat.toml" --model "$WORK/uv.toml" --events "$WORK/events.jsonl" \
  --labels "$WORK/labels.csv" --out "$WORK/uv.csv" --log-lines 2>"$WORK/export-uv.log" \
  || fail "export of a HyperLogLog input: $(cat "$WORK/export-uv.log")"

for cut in $(cut -d, -f6 "$WORK/train.csv" | tail -n +2 | sort -n -u); do
  log "moment: the engine drains the first $cut lines, serve answers, export must agree"
  redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
  head -n "$cut" "$WORK/events.jsonl" >"$WORK/prefix.jsonl"
  rm -rf "$WORK/checkpoints"
  "$BIN" node "${common[@]}" --set source.kind=file --set "source.path=$WORK/prefix.jsonl" \
    --set "checkpoint.dir=$WORK/checkpoints" --set "dead_letter.path=$WORK/dl.jsonl" \
    --set node.progress_interval_ms=0 --drain 2>"$WORK/node.log" || fail "drain of $cut lines"
  "$BIN" materialize "${common[@]}" --table "$MODEL/users.csv" --entity user 2>/dev/null || fail "materialize users"
  "$BIN" materialize "${common[@]}" --table "$MODEL/items.csv" --entity item 2>/dev/null || fail "materialize items"
  "$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$MODEL/model.toml" \
    2>"$WORK/serve.log" &
  SERVE_PID=$!
  for _ in $(seq 1 100); do curl -sf "$URL/readyz" >/dev/null && break; sleep 0.05; done
  $PY "$ROOT/test/integration/lib/export_check.py" compare "$WORK/train.csv" "$cut" "$URL" \
    || fail "export and serve differ at $cut lines"
  $PY "$ROOT/test/integration/lib/export_check.py" distinct "$WORK/uv.csv" "$cut" "$URL" \
    || fail "export's PFCOUNT and serve's differ at $cut lines"
  kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
done
log "PASS"
