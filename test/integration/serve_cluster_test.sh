#!/usr/bin/env bash
# rtfeat serve on a Redis Cluster of three masters (redis.cluster = true): the
# features of a drained run, copied from one redis-server into the cluster
# (redis-cli --cluster import), are served as Redis holds them for entities on
# every master: GET checked against redis-cli -c (lib/serve_check.py), and GET
# and batch POST equal to a second serve of the same data on the single
# redis-server. Then one tested user's slot moves to another master by hand
# (ASK mid-migration, MOVED after, both counted in /metrics) and serve still
# answers it exactly, an update to it is seen, and a stopped master gives 503
# naming it within the deadline while the other masters' entities are served,
# and once its replica took over, serve finds it (CLUSTER SLOTS re-read) and
# answers that master's entities again without a restart.
# Usage: serve_cluster_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/serve_env.sh"
source "$ROOT/test/integration/lib/redis_cluster.sh"
PY=/usr/bin/python3

serve_env serve-cluster 20
# One replica per master, so that a stopped master fails over at the end.
start_redis_cluster 3 1 2000
SEED=${REDIS_CLUSTER_PORTS[0]}
# masters_seen_by PORT: the ports of the masters that serve slots, as that node sees them.
masters_seen_by() {
  redis-cli -p "$1" CLUSTER NODES | awk '$3 ~ /master/ && $3 !~ /fail/ && NF >= 9 {split($2, a, "[:@]"); print a[2]}'
}
for _ in $(seq 1 50); do
  mapfile -t MASTERS < <(masters_seen_by "$SEED")
  [ "${#MASTERS[@]}" = 3 ] && break
  sleep 0.1
done
[ "${#MASTERS[@]}" = 3 ] || fail "expected 3 masters, got: ${MASTERS[*]}"
ONE_PORT=$(free_listen_port) ONE_PID=""
ONE_URL="http://127.0.0.1:$ONE_PORT"
on_exit '[ -n "$ONE_PID" ] && kill -9 "$ONE_PID" 2>/dev/null'
fail_shows '$WORK/serve-one.log' 5

code() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
metric() { curl -s "$URL/metrics" | awk -v n="$1" '$1 == n {print $2}'; }
wait_ready() { for _ in $(seq 1 100); do [ "$(code "$1/readyz")" = 200 ] && return; sleep 0.05; done; fail "$1 not ready: $(cat "$WORK/body")"; }
strip='del(.. | .age_ms?)'
# agree WHAT PATH [curl args...]: the cluster serve answers 200, exactly as the single-Redis serve.
agree() {
  local what=$1 path=$2 got; shift 2
  got=$(code "$@" "$URL$path")
  [ "$got" = 200 ] || fail "$what: cluster serve -> $got $(head -c 300 "$WORK/body")"
  jq -S "$strip" "$WORK/body" >"$WORK/cluster.json"
  got=$(code "$@" "$ONE_URL$path")
  [ "$got" = 200 ] || fail "$what: single-Redis serve -> $got $(head -c 300 "$WORK/body")"
  jq -S "$strip" "$WORK/body" >"$WORK/one.json"
  diff "$WORK/one.json" "$WORK/cluster.json" >"$WORK/diff" \
    || fail "$what: the cluster serve differs from the single-Redis serve: $(head -c 600 "$WORK/diff")"
}
# ids_on PORT PATTERN N: up to N entity ids whose keys matching PATTERN that master holds.
ids_on() { redis-cli -p "$1" --scan --pattern "$2" | sed 's/.*{\(.*\)}.*/\1/' | sort -u | awk -v n="$3" 'NR <= n'; }
json_list() { printf '"%s"\n' "$@" | paste -sd, | sed 's/^/[/; s/$/]/'; }

log "a drained run's features, copied from one redis-server into the cluster"
start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events 20000 --seed 11 --out "$WORK/events.jsonl" 2>/dev/null
"$BIN" node --config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl" \
  --set "redis.port=$REDIS_PORT" --set "checkpoint.dir=$WORK/checkpoints" --set "dead_letter.path=$WORK/dl.jsonl" \
  --set node.progress_interval_ms=0 --drain 2>"$WORK/node.log" || fail "the drain failed"
redis-cli --cluster import "127.0.0.1:$SEED" --cluster-from "127.0.0.1:$REDIS_PORT" --cluster-copy \
  >"$WORK/import.log" 2>&1 || { tail -5 "$WORK/import.log" >&2; fail "redis-cli --cluster import"; }
want=$(redis-cli -p "$REDIS_PORT" DBSIZE) got=0
for m in "${MASTERS[@]}"; do got=$((got + $(redis-cli -p "$m" DBSIZE))); done
[ "$got" = "$want" ] && [ "$want" -gt 1000 ] || fail "the cluster holds $got keys, the redis-server $want"

serve_args=(--config "$ROOT/config/rtfeat.toml" --set serve.deadline_ms=300 --set serve.max_batch=200)
"$BIN" serve "${serve_args[@]}" --set redis.cluster=true --set "redis.nodes=$REDIS_CLUSTER_SEEDS" \
  --set "serve.port=$SERVE_PORT" 2>"$WORK/serve.log" &
SERVE_PID=$!
"$BIN" serve "${serve_args[@]}" --set "redis.port=$REDIS_PORT" --set "serve.port=$ONE_PORT" 2>"$WORK/serve-one.log" &
ONE_PID=$!
wait_ready "$URL"
wait_ready "$ONE_URL"
grep -q "redis cluster, seeds 127.0.0.1:$SEED" "$WORK/serve.log" || fail "serve did not start in cluster mode"

log "entities on every master: GET equals redis-cli -c, GET and batch equal the single-Redis serve"
USERS=() ITEMS=() CATS=()
for m in "${MASTERS[@]}"; do
  mapfile -t u < <(ids_on "$m" 'user:feature:*' 20)
  mapfile -t i < <(ids_on "$m" 'item:feature:*' 15)
  [ "${#u[@]}" -gt 0 ] && [ "${#i[@]}" -gt 0 ] || fail "master $m holds no user or no item"
  USERS+=("${u[@]}") ITEMS+=("${i[@]}")
  mapfile -t c < <(ids_on "$m" 'cat:buckets:*' 5)
  CATS+=("${c[@]}")
done
[ "${#CATS[@]}" -gt 0 ] || fail "no category in the cluster"
SERVE_CHECK_CLUSTER=1 $PY "$ROOT/test/integration/lib/serve_check.py" "$URL" "$SEED" users "${USERS[@]}" nobody \
  || fail "user features differ from the cluster"
SERVE_CHECK_CLUSTER=1 $PY "$ROOT/test/integration/lib/serve_check.py" "$URL" "$SEED" items "${ITEMS[@]}" \
  || fail "item features differ from the cluster"
SERVE_CHECK_CLUSTER=1 $PY "$ROOT/test/integration/lib/serve_check.py" "$URL" "$SEED" categories "${CATS[@]}" \
  || fail "category features differ from the cluster"
BATCH="{\"users\":$(json_list "${USERS[@]}" nobody),\"items\":$(json_list "${ITEMS[@]}"),\"categories\":$(json_list "${CATS[@]}")}"
agree "batch over 3 masters" /v1/features -X POST -d "$BATCH"
with=$(jq '[.users[] | select(.features != {})] | length' "$WORK/cluster.json")
[ "$with" -ge "${#USERS[@]}" ] || fail "only $with of ${#USERS[@]} users have features in the batch"
agree "GET user" "/v1/users/${USERS[0]}/features"
agree "GET item" "/v1/items/${ITEMS[-1]}/features"

log "a tested user's slot moves to another master: ASK mid-migration, MOVED after"
U=${USERS[0]}
SLOT=$(redis-cli -p "$SEED" CLUSTER KEYSLOT "$U")
SRC="" DST=""
for m in "${MASTERS[@]}"; do
  if [ "$(redis-cli -p "$m" CLUSTER COUNTKEYSINSLOT "$SLOT")" -gt 0 ]; then SRC=$m; elif [ -z "$DST" ]; then DST=$m; fi
done
[ -n "$SRC" ] && [ -n "$DST" ] || fail "slot $SLOT of user $U: source '$SRC', target '$DST'"
SRC_ID=$(redis-cli -p "$SRC" CLUSTER MYID) DST_ID=$(redis-cli -p "$DST" CLUSTER MYID)
ok() { local out; out=$(redis-cli "$@"); [ "$out" = OK ] || fail "redis-cli $*: $out"; }
ok -p "$DST" CLUSTER SETSLOT "$SLOT" IMPORTING "$SRC_ID"
ok -p "$SRC" CLUSTER SETSLOT "$SLOT" MIGRATING "$DST_ID"
ok -p "$SRC" MIGRATE 127.0.0.1 "$DST" "" 0 5000 KEYS "user:feature:{$U}"
asks=$(metric rtfeat_serve_redis_cluster_ask_total)
agree "mid-migration (user:feature:{$U} on $DST, the rest on $SRC)" "/v1/users/$U/features"
agree "mid-migration, batch" /v1/features -X POST -d "$BATCH"
[ "$(metric rtfeat_serve_redis_cluster_ask_total)" -gt "$asks" ] || fail "no ASK followed mid-migration"
while :; do
  mapfile -t keys < <(redis-cli -p "$SRC" CLUSTER GETKEYSINSLOT "$SLOT" 100)
  [ "${#keys[@]}" -gt 0 ] && [ -n "${keys[0]}" ] || break
  ok -p "$SRC" MIGRATE 127.0.0.1 "$DST" "" 0 5000 KEYS "${keys[@]}"
done
for m in "${MASTERS[@]}"; do ok -p "$m" CLUSTER SETSLOT "$SLOT" NODE "$DST_ID"; done
moves=$(metric rtfeat_serve_redis_cluster_moved_total)
agree "after the move to $DST" "/v1/users/$U/features"
agree "after the move, batch" /v1/features -X POST -d "$BATCH"
[ "$(metric rtfeat_serve_redis_cluster_moved_total)" -gt "$moves" ] || fail "no MOVED followed after the move"
SERVE_CHECK_CLUSTER=1 $PY "$ROOT/test/integration/lib/serve_check.py" "$URL" "$SEED" users "${USERS[@]}" \
  || fail "user features differ from the cluster after the move"

log "an update to the moved user is served"
redis-cli -c -p "$SEED" HSET "user:feature:{$U}" cat:9999 41 >/dev/null
redis-cli -p "$REDIS_PORT" HSET "user:feature:{$U}" cat:9999 41 >/dev/null
agree "after an update" "/v1/users/$U/features"
jq -e '.features.user_category_clicks["9999"] == 41' "$WORK/cluster.json" >/dev/null \
  || fail "the update is not served: $(cat "$WORK/cluster.json")"

log "a master stopped: 503 naming it within the deadline; the other masters' entities are served"
DOWN=""
for m in "${MASTERS[@]}"; do [ "$m" != "$SRC" ] && [ "$m" != "$DST" ] && DOWN=$m; done
mapfile -t v < <(ids_on "$DOWN" 'user:feature:*' 1)
mapfile -t w < <(ids_on "$DST" 'user:feature:*' 1)
stop_redis "$DOWN"
t=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' "$URL/v1/users/${v[0]}/features")
[ "${t%% *}" = 503 ] || fail "user ${v[0]} on the stopped master $DOWN: $t $(cat "$WORK/body")"
grep -q "127.0.0.1:$DOWN" "$WORK/body" || fail "the 503 does not name the stopped master: $(cat "$WORK/body")"
awk -v s="${t#* }" 'BEGIN { exit !(s < 1.0) }' || fail "the 503 took ${t#* } s (deadline 0.3 s)"
agree "a user on a master still up" "/v1/users/${w[0]}/features"
[ "$(code "$URL/readyz")" = 503 ] && grep -q "127.0.0.1:$DOWN" "$WORK/body" \
  || fail "readyz with a master down: $(cat "$WORK/body")"

log "its replica takes over: served again, and ready, without a restart"
for _ in $(seq 1 150); do
  mapfile -t now < <(masters_seen_by "$DST")  # not $SEED: it may be the stopped one
  [ "${#now[@]}" = 3 ] && [[ " ${now[*]} " != *" $DOWN "* ]] && break
  sleep 0.1
done
[ "${#now[@]}" = 3 ] && [[ " ${now[*]} " != *" $DOWN "* ]] || fail "no replica took over from $DOWN: ${now[*]}"
# No request needed: each loop re-reads CLUSTER SLOTS while a master is missing.
for _ in $(seq 1 60); do [ "$(code "$URL/readyz")" = 200 ] && break; sleep 0.05; done
[ "$(code "$URL/readyz")" = 200 ] || fail "not ready after the failover: $(cat "$WORK/body")"
agree "a user of the failed-over master" "/v1/users/${v[0]}/features"
agree "batch after the failover" /v1/features -X POST -d "$BATCH"

log "serve on a redis cluster: ok in ${SECONDS}s"
