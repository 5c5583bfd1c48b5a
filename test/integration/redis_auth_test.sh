#!/usr/bin/env bash
# Redis with a password and with an ACL user: the node and the oracle
# authenticate from RTFEAT_REDIS_PASSWORD (+ redis.username) and the result is
# exact; a missing or wrong password stops the node at start with exit 2 and a
# message that names the cause; the password never shows up in the output.
# Usage: redis_auth_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir redis-auth
REDIS_PORT=$(free_port)
PASSWORD='s3cret-pw!'
on_exit 'REDISCLI_AUTH=$PASSWORD stop_redis "$REDIS_PORT"'

start_redis "$REDIS_PORT" "$WORK/redis" --requirepass "$PASSWORD"
cli() { REDISCLI_AUTH=$PASSWORD redis-cli -p "$REDIS_PORT" "$@"; }
cli ACL SETUSER features on '>f3atures' '~*' '+@all' >/dev/null
"$BIN" gen --events 30000 --seed 17 --out "$WORK/events.jsonl" 2>/dev/null
common=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl"
  --set "redis.port=$REDIS_PORT" --set "checkpoint.dir=$WORK/checkpoints"
  --set "dead_letter.path=$WORK/dead-letter.jsonl" --set node.progress_interval_ms=0)

refused() {  # $1: what, $2: expected text, then the env and command
  local what=$1 want=$2 rc=0
  shift 2
  env "$@" 2>"$WORK/refused.log" >/dev/null || rc=$?
  [ "$rc" = 2 ] || { cat "$WORK/refused.log" >&2; fail "$what: exit $rc, expected 2"; }
  grep -qF -- "$want" "$WORK/refused.log" || { cat "$WORK/refused.log" >&2; fail "$what: no '$want' in the error"; }
}
refused "no password" "set RTFEAT_REDIS_PASSWORD" -u RTFEAT_REDIS_PASSWORD "$BIN" node "${common[@]}" --drain
refused "wrong password" "AUTH refused" RTFEAT_REDIS_PASSWORD=wrong "$BIN" node "${common[@]}" --drain
refused "wrong ACL user" "AUTH refused" RTFEAT_REDIS_PASSWORD="$PASSWORD" "$BIN" node "${common[@]}" \
  --set redis.username=nobody --drain
[ "$(cli DBSIZE)" = 0 ] || fail "a refused node wrote to Redis"

drain_and_diff() {  # $1: what; the env (password, user) is set by the caller
  "$BIN" node "${common[@]}" "${user[@]}" --drain 2>"$WORK/node.log" || { cat "$WORK/node.log" >&2; fail "$1: node failed"; }
  "$BIN" oracle "${common[@]}" "${user[@]}" --events "$WORK/events.jsonl" --diff >"$WORK/oracle.out" 2>&1 \
    || { tail -5 "$WORK/oracle.out" >&2; fail "$1: oracle diff is not zero"; }
  if grep -qF -- "$PASSWORD" "$WORK/node.log" "$WORK/oracle.out"; then fail "$1: the password is in the output"; fi
  [ "$(cli DBSIZE)" -gt 1000 ] || fail "$1: Redis holds only $(cli DBSIZE) keys"
}
export RTFEAT_REDIS_PASSWORD=$PASSWORD
user=()
drain_and_diff "requirepass"

# An ACL user of its own, as a production Redis would give the job.
cli FLUSHALL >/dev/null
rm -rf "$WORK/checkpoints"
export RTFEAT_REDIS_PASSWORD=f3atures
user=(--set redis.username=features)
drain_and_diff "ACL user"

unset RTFEAT_REDIS_PASSWORD
rc=0
"$BIN" oracle "${common[@]}" --events "$WORK/events.jsonl" --diff >"$WORK/oracle.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "the oracle diffed a password-protected Redis without a password"
grep -q "NOAUTH.*set RTFEAT_REDIS_PASSWORD" "$WORK/oracle.out" || { cat "$WORK/oracle.out" >&2; fail "the oracle does not say why"; }
log "PASS: Redis AUTH (requirepass and an ACL user): exact results, refusals exit 2 with the cause"
