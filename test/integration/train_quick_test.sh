#!/usr/bin/env bash
# scripts/train --quick end to end: gen --labels, offline tables, rtfeat export,
# two XGBoost models, serve loading the trained one. It must exit 0, print both
# held-out AUCs, the all-inputs one above 0.5, and leave model.json + model.toml.
# Usage: train_quick_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir train-quick
fail_shows '$WORK/train.log' 15

/usr/bin/python3 "$ROOT/scripts/train" --quick --rtfeat "$BIN" --out "$WORK/out" >"$WORK/table.md" \
  2>"$WORK/train.log" || fail "scripts/train --quick exited $?"
cat "$WORK/table.md" >&2
base=$(sed -n 's/^| offline + context .* | \([0-9.]*\) |$/\1/p' "$WORK/table.md")
full=$(sed -n 's/^| + real-time .* | \([0-9.]*\) ([+-][0-9.]* %) |$/\1/p' "$WORK/table.md")
[ -n "$base" ] && [ -n "$full" ] || fail "no AUC pair in the table"
awk -v auc="$full" 'BEGIN { exit !(auc > 0.5) }' || fail "all-inputs AUC $full is not above 0.5"
[ -s "$WORK/out/model.json" ] && [ -s "$WORK/out/model.toml" ] || fail "no model.json / model.toml"
grep -q '"score":' "$WORK/train.log" || fail "serve gave no score"
log "PASS (held-out AUC $base without real-time inputs, $full with them)"
