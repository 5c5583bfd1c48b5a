# Serving bench of scripts/bench (sourced; issue 12 item 6): `rtfeat serve` next to what it is
# compared with, one side after the other on the same redis-server and the same keys: those of a
# real `rtfeat node --drain` of SERVING_EVENTS generated events (file source) plus the demo model's
# offline tables (`rtfeat materialize` of test/data/model/{users,items}.csv). Sides:
#   serve   rtfeat serve with the demo model, near cache off (serve.cache.max_entries=0) and on
#   flask   the article's feature service, bench/peers/flask_service.py under gunicorn -w 2
#   nginx   nginx with 2 workers serving a static JSON file of serve's median answer size: the
#           box's HTTP ceiling
#   redis   build/bench_redis_pipeline: serve's per-user pipeline straight to Redis: the Redis ceiling
# Load: wrk -t2 -cSERVING_CONNECTIONS on every side, user ids Zipf 1.1 over the users in Redis
# (bench/wrk_zipf.lua); build/bench_http_load at a constant rate against serve: 1 000 QPS for one
# user and for Zipf users, and POST /v1/predict with 100 candidates at 500 QPS; and 1 000 QPS against
# nginx's static file, the tail this box gives any HTTP server at that rate.
# Writes $RESULTS/serving.{json,md} (keys serving.*). Everything it starts is stopped by
# stop_serving_side, which scripts/bench's exit trap calls too.

SERVING_CACHE_ENTRIES=200000  # serve.cache.max_entries of the cache-on side
SERVING_RATE_CONNECTIONS=32   # bench_http_load's keep-alive connections
SERVING_ZIPF=1.1
# GET /v1/users/{id}/features reads these four keys in one pipeline (redis-cli MONITOR).
SERVING_USER_PIPELINE=('HGETALL user:feature:{{id}}' 'LRANGE user:seq:{{id}} 0 -1'
  'GET user:stats:{{id}}:purchase_amount' 'ZREVRANGE user:session:{{id}} 0 -1 WITHSCORES')

# Stops the side that is running (its process, and its children by id if it does not go).
stop_serving_side() {
  [ -n "${SIDE_PID:-}" ] || return 0
  local children i
  children=$(pgrep -P "$SIDE_PID" 2>/dev/null || true)
  kill -TERM "$SIDE_PID" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$SIDE_PID" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$SIDE_PID" 2>/dev/null; then
    log "serving: pid $SIDE_PID did not stop on SIGTERM: killed"
    kill -KILL "$SIDE_PID" 2>/dev/null || true
  fi
  wait "$SIDE_PID" 2>/dev/null || true
  for i in $children; do kill -KILL "$i" 2>/dev/null || true; done
  SIDE_PID=""
}

# Waits until $1 answers $2 (HTTP status) while the side runs; fails with its log $3.
wait_side() {
  local url=$1 want=$2 side_log=$3 got=""
  for _ in $(seq 1 300); do
    got=$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)
    [ "$got" = "$want" ] && return 0
    kill -0 "$SIDE_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "serving: $url answered '$got', expected $want; the side's log:"
  tail -20 "$side_log" | sed 's/^/  /' >&2
  return 1
}

# The keys: generated events drained by a real node into a flushed Redis, the offline tables
# materialized; then the ids the load draws from (users and items present, in natural order,
# so that with rtfeat gen's ids the most active users are requested most).
serving_data() {
  local dir=$1 t
  "$BIN" gen --events "$SERVING_EVENTS" --seed 1 --out "$dir/events.jsonl" 2>/dev/null
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  "$BIN" node --config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$dir/events.jsonl" \
    --set "redis.port=$REDIS_PORT" --set "checkpoint.dir=$dir/checkpoints" --set "dead_letter.path=$dir/dlq.jsonl" \
    --set node.progress_interval_ms=0 --drain 2>"$dir/node.log" \
    || { log "serving: the drain failed:"; tail -5 "$dir/node.log" >&2; return 1; }
  rm -rf "$dir/checkpoints" "$dir/events.jsonl"
  for t in user item; do
    "$BIN" materialize --config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT" \
      --table "$ROOT/test/data/model/${t}s.csv" --entity "$t" 2>>"$dir/materialize.log"
    redis-cli -p "$REDIS_PORT" --scan --pattern "$t:feature:*" | sed 's/.*{\(.*\)}.*/\1/' | sort -uV >"$dir/${t}s.txt"
    [ -s "$dir/${t}s.txt" ] || { log "serving: no $t:feature keys in Redis after the drain"; return 1; }
  done
  awk 'NR == 1' "$dir/users.txt" >"$dir/one_user.txt"
}

# Starts rtfeat serve with the demo model and near cache $1 (entries); sets SIDE_PID and SIDE_URL.
start_serve_side() {
  local cache=$1 port log_file=$WORK/serving/serve-cache-$1.log
  port=$(free_listen_port)
  "$BIN" serve --config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT" --set "serve.port=$port" \
    --set "serve.cache.max_entries=$cache" --set "serve.model=$ROOT/test/data/model/model.toml" 2>"$log_file" &
  SIDE_PID=$! SIDE_URL=http://127.0.0.1:$port
  wait_side "$SIDE_URL/v1/users/$(cat "$WORK/serving/one_user.txt")/features" 200 "$log_file"
}

# The article's Flask service under Debian's gunicorn, 2 (sync) workers.
start_flask_side() {
  local port log_file=$WORK/serving/gunicorn.log
  port=$(free_listen_port)
  PYTHONDONTWRITEBYTECODE=1 REDIS_HOST=127.0.0.1 REDIS_PORT=$REDIS_PORT \
    gunicorn -w 2 -b "127.0.0.1:$port" --chdir "$ROOT/bench/peers" flask_service:app >"$log_file" 2>&1 &
  SIDE_PID=$! SIDE_URL=http://127.0.0.1:$port
  wait_side "$SIDE_URL/features/$(cat "$WORK/serving/one_user.txt")" 200 "$log_file"
}

# nginx in the foreground (a child of this shell), 2 workers, its config, pid, logs and temp
# files in the work dir, serving user.json: valid JSON of $1 bytes.
start_nginx_side() {
  local bytes=$1 dir=$WORK/serving/nginx port temp="" m user=""
  port=$(free_listen_port)
  mkdir -p "$dir/html" "$dir/tmp"
  printf '{"pad":"%s"}' "$(printf '%*s' $((bytes > 10 ? bytes - 10 : 0)) '' | tr ' ' x)" >"$dir/html/user.json"
  # Temp paths of the modules this build has, so nothing is written outside the work dir.
  for m in client-body proxy fastcgi uwsgi scgi; do
    nginx -V 2>&1 | grep -q -- "--http-$m-temp-path" && temp+="    ${m//-/_}_temp_path $dir/tmp/$m;"$'\n'
  done
  # As root the workers would run as nobody, who cannot enter the private work dir.
  [ "$(id -u)" = 0 ] && user="user root root;"
  cat >"$dir/nginx.conf" <<EOF
$user
worker_processes 2;
worker_rlimit_nofile 8192;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/json;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=16;
$temp    server {
        listen 127.0.0.1:$port;
        root $dir/html;
    }
}
EOF
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  SIDE_PID=$! SIDE_URL=http://127.0.0.1:$port
  wait_side "$SIDE_URL/user.json" 200 "$dir/error.log"
}

# wrk against the running side: one warm-up second, then RUNS runs of SERVING_SECONDS each;
# the median run by requests/s (with every run's figure) goes to $WORK/serving/c500-$1.json.
wrk_side() {
  local name=$1 path=$2 dir=$WORK/serving i
  local args=(-t2 -c"$SERVING_CONNECTIONS" --timeout 10s -s "$ROOT/bench/wrk_zipf.lua" "$SIDE_URL")
  wrk -d1s "${args[@]}" -- "$dir/users.txt" "$SERVING_ZIPF" "$path" >/dev/null 2>&1 || true
  : >"$dir/c500-$name.jsonl"
  for i in $(seq 1 "$RUNS"); do
    wrk -d"${SERVING_SECONDS}s" "${args[@]}" -- "$dir/users.txt" "$SERVING_ZIPF" "$path" >"$dir/wrk-$name-$i.txt" 2>&1 \
      && grep -q '^json: ' "$dir/wrk-$name-$i.txt" \
      || { log "serving: wrk ($name) failed:"; cat "$dir/wrk-$name-$i.txt" >&2; return 1; }
    sed -n 's/^json: //p' "$dir/wrk-$name-$i.txt" >>"$dir/c500-$name.jsonl"
  done
  jq -s 'sort_by(.rps) | .[(length / 2 | floor)] + {qps_runs: map(.rps)}' "$dir/c500-$name.jsonl" \
    >"$dir/c500-$name.json"
  log "serving: $name at $SERVING_CONNECTIONS connections: $(jq -c '{qps_runs, p50_ms, p99_ms}' "$dir/c500-$name.json")"
}

# build/bench_http_load against the running side, RUNS runs; the median run by p99 (with every
# run's p99) goes to $WORK/serving/rate-$1.json. $2 = rate; the rest are bench_http_load options.
rate_side() {
  local name=$1 rate=$2 dir=$WORK/serving i
  shift 2
  : >"$dir/rate-$name.jsonl"
  for i in $(seq 1 "$RUNS"); do
    "$BUILD/bench_http_load" --port "${SIDE_URL##*:}" --rate "$rate" --seconds "$SERVING_SECONDS" \
      --warmup "$SERVING_WARMUP" --connections "$SERVING_RATE_CONNECTIONS" --seed "$i" "$@" \
      >>"$dir/rate-$name.jsonl" 2>"$dir/rate-$name-$i.log" \
      || { log "serving: bench_http_load ($name) failed:"; cat "$dir/rate-$name-$i.log" >&2; return 1; }
  done
  jq -s 'sort_by(.p99_ms) | .[(length / 2 | floor)] + {p99_runs: map(.p99_ms)}' "$dir/rate-$name.jsonl" \
    >"$dir/rate-$name.json"
  log "serving: $name at $rate QPS: $(jq -c '{p99_runs, p50_ms, errors, non_2xx}' "$dir/rate-$name.json")"
}

# One rtfeat serve side (cache $1 entries, named $2): 500 connections, 1 000 QPS for one user and
# for Zipf users, predict at 500 QPS.
serve_side() {
  local cache=$1 name=$2 dir=$WORK/serving
  local predict='{"user_id":"{id}","item_ids":[{items}],"context":{"hour":12}}'
  start_serve_side "$cache"
  wrk_side "serve_$name" '/v1/users/{id}/features'
  rate_side "one_user_$name" 1000 --ids "$dir/one_user.txt" --path '/v1/users/{id}/features'
  rate_side "zipf_$name" 1000 --ids "$dir/users.txt" --zipf "$SERVING_ZIPF" --path '/v1/users/{id}/features'
  rate_side "predict_$name" 500 --ids "$dir/users.txt" --zipf "$SERVING_ZIPF" --path /v1/predict \
    --body "$predict" --items "$dir/items.txt" --candidates 100
  curl -s "$SIDE_URL/metrics" >"$dir/metrics-$name.txt" || true
  stop_serving_side
}

# The Redis ceiling: serve's per-user pipeline from as many connections as wrk uses.
redis_side() {
  local dir=$WORK/serving i cmds=()
  for i in "${SERVING_USER_PIPELINE[@]}"; do cmds+=(--command "$i"); done
  : >"$dir/redis.jsonl"
  for i in $(seq 1 "$RUNS"); do
    "$BUILD/bench_redis_pipeline" --port "$REDIS_PORT" --connections "$SERVING_CONNECTIONS" \
      --seconds "$SERVING_SECONDS" --warmup "$SERVING_WARMUP" --ids "$dir/users.txt" --zipf "$SERVING_ZIPF" \
      --seed "$i" "${cmds[@]}" >>"$dir/redis.jsonl" 2>"$dir/redis-$i.log" \
      || { log "serving: bench_redis_pipeline failed:"; cat "$dir/redis-$i.log" >&2; return 1; }
  done
  jq -s 'map(. + {rps: .achieved_rps}) | sort_by(.rps) | .[(length / 2 | floor)] + {qps_runs: map(.rps)}' \
    "$dir/redis.jsonl" >"$dir/c500-redis.json"
  log "serving: redis ceiling: $(jq -c '{qps_runs, p50_ms, p99_ms}' "$dir/c500-redis.json")"
}

user_keys() { redis-cli -p "$REDIS_PORT" --scan --pattern 'user:*' | wc -l; }

bench_serving() {
  local dir=$WORK/serving p
  for p in wrk nginx gunicorn curl "$BUILD/bench_http_load" "$BUILD/bench_redis_pipeline"; do
    command -v "$p" >/dev/null || { log "serving: missing $p"; return 1; }
  done
  /usr/bin/python3 -c 'import flask, redis' 2>/dev/null || { log "serving: missing python3-flask or python3-redis"; return 1; }
  mkdir -p "$dir"
  log "serving: $SERVING_EVENTS events; wrk -c$SERVING_CONNECTIONS and constant-rate runs of $SERVING_SECONDS s," \
    "$RUNS run(s) per side"
  serving_data "$dir"
  local load_start keys_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg) keys_start=$(user_keys)

  serve_side 0 cache_off
  serve_side "$SERVING_CACHE_ENTRIES" cache_on
  start_flask_side
  wrk_side flask '/features/{id}'
  stop_serving_side
  local bytes
  bytes=$(jq '.body_bytes_p50 | round' "$dir/rate-zipf_cache_off.json")
  start_nginx_side "$bytes"
  wrk_side nginx '/user.json?u={id}'
  rate_side nginx 1000 --ids "$dir/users.txt" --zipf "$SERVING_ZIPF" --path '/user.json?u={id}'
  stop_serving_side
  redis_side
  local load_end keys_end
  load_end=$(cut -d' ' -f1-3 /proc/loadavg) keys_end=$(user_keys)
  [ "$keys_end" -lt "$keys_start" ] && log "serving: warning: user keys $keys_start -> $keys_end (TTLs ran out)"
  serving_json "$dir" "$bytes" "$load_start" "$load_end" "$keys_start" "$keys_end" >"$RESULTS/serving.json"
  merge_latest serving
  serving_table | tee "$RESULTS/serving.md"
}

# serving.json from the sides' median runs.
serving_json() {
  local dir=$1
  jq -n --argjson events "$SERVING_EVENTS" --argjson runs "$RUNS" --argjson secs "$SERVING_SECONDS" \
    --argjson conns "$SERVING_CONNECTIONS" --argjson rconns "$SERVING_RATE_CONNECTIONS" \
    --argjson cache "$SERVING_CACHE_ENTRIES" --argjson bytes "$2" --arg load_start "$3" --arg load_end "$4" \
    --argjson keys_start "$5" --argjson keys_end "$6" \
    --argjson users "$(wc -l <"$dir/users.txt")" --argjson items "$(wc -l <"$dir/items.txt")" \
    --arg one_user "$(cat "$dir/one_user.txt")" \
    --slurpfile so "$dir/c500-serve_cache_off.json" --slurpfile sc "$dir/c500-serve_cache_on.json" \
    --slurpfile fl "$dir/c500-flask.json" --slurpfile ng "$dir/c500-nginx.json" --slurpfile rd "$dir/c500-redis.json" \
    --slurpfile r1o "$dir/rate-one_user_cache_off.json" --slurpfile rzo "$dir/rate-zipf_cache_off.json" \
    --slurpfile r1c "$dir/rate-one_user_cache_on.json" --slurpfile rzc "$dir/rate-zipf_cache_on.json" \
    --slurpfile po "$dir/rate-predict_cache_off.json" --slurpfile pc "$dir/rate-predict_cache_on.json" \
    --slurpfile rng "$dir/rate-nginx.json" '
    def wrk_side: {qps: .rps, p50_ms, p90_ms, p99_ms, p999_ms, max_ms, requests, seconds,
                   errors: (.errors_connect + .errors_read + .errors_write + .errors_timeout),
                   status_errors, qps_runs};
    def redis_side: {qps: .achieved_rps, p50_ms, p90_ms, p99_ms, p999_ms, max_ms, requests, seconds, errors,
                     status_errors: 0, qps_runs};
    def rate_side: {target_rps, achieved_rps, requests, errors, non_2xx, p50_ms, p90_ms, p99_ms, p999_ms, max_ms,
                    seconds, connections, body_bytes_p50, max_lag_ms, p99_runs};
    ($so[0] | wrk_side) as $so | ($sc[0] | wrk_side) as $sc | ($fl[0] | wrk_side) as $fl |
    ($ng[0] | wrk_side) as $ng | ($r1o[0] | rate_side) as $r1o | ($r1c[0] | rate_side) as $r1c |
    ($po[0] | rate_side) as $po | ($pc[0] | rate_side) as $pc |
    { serving: {
        events: $events, users: $users, items: $items, runs: $runs, seconds: $secs, connections: $conns,
        rate_connections: $rconns, cache_entries: $cache, one_user: $one_user, answer_bytes: $bytes,
        load_avg_start: $load_start, load_avg_end: $load_end, user_keys_start: $keys_start, user_keys_end: $keys_end,
        c500: {serve_cache_off: $so, serve_cache_on: $sc, flask: $fl, nginx: $ng, redis: ($rd[0] | redis_side)},
        rate: {one_user_cache_off: $r1o, zipf_cache_off: ($rzo[0] | rate_side),
               one_user_cache_on: $r1c, zipf_cache_on: ($rzc[0] | rate_side), nginx: ($rng[0] | rate_side)},
        predict: {candidates: 100, cache_off: $po, cache_on: $pc},
        ratios: {serve_cache_off_to_flask: ($so.qps / $fl.qps), serve_cache_on_to_flask: ($sc.qps / $fl.qps),
                 serve_cache_on_to_nginx: ($sc.qps / $ng.qps), serve_cache_off_to_nginx: ($so.qps / $ng.qps)},
        targets: {
          c500_cache_off: ($so.qps >= 20 * $fl.qps and $so.qps >= 35000 and $so.p99_ms <= 10),
          c500_cache_on: ($sc.qps >= 20 * $fl.qps and $sc.qps >= 35000 and $sc.p99_ms <= 10),
          one_user_p99_cache_off: ($r1o.p99_ms <= 1 and $r1o.errors == 0 and $r1o.non_2xx == 0),
          one_user_p99_cache_on: ($r1c.p99_ms <= 1 and $r1c.errors == 0 and $r1c.non_2xx == 0),
          cache_on_vs_nginx: ($sc.qps >= 0.7 * $ng.qps),
          predict_p99_cache_off: ($po.p99_ms <= 5 and $po.errors == 0 and $po.non_2xx == 0),
          predict_p99_cache_on: ($pc.p99_ms <= 5 and $pc.errors == 0 and $pc.non_2xx == 0) } } }'
}

# The table, from serving.json so what is printed is what was recorded.
serving_table() {
  jq -r --arg host "$(host_note)" '
    def k: if . >= 10000 then (. / 1000 | floor | tostring) + " k" elif . >= 1000 then (. / 100 | floor | . / 10 | tostring) + " k" else (. | round | tostring) end;
    def ms: if . < 10 then (. * 100 | round / 100 | tostring) + " ms" else (. * 10 | round / 10 | tostring) + " ms" end;
    def x: (. * 10 | round / 10 | tostring) + "×";
    def yn: if . then "**holds**" else "**does not hold**" end;
    def runs: map(k) | join(", ");
    def c500($name; $notes): "| \($name) | \(.qps | k) | \(.p50_ms | ms) | \(.p99_ms | ms) | \(.errors) / \(.status_errors) | \(.qps_runs | runs) | \($notes) |";
    def rate($name): "| \($name) | \(.achieved_rps | round) | \(.p50_ms | ms) | \(.p90_ms | ms) | \(.p99_ms | ms) | \(.p999_ms | ms) | \(.max_ms | ms) | \(.errors) / \(.non_2xx) | \(.p99_runs | map(ms) | join(", ")) | \(.max_lag_ms | ms) |";
    .serving as $s | $s.c500 as $c | $s.rate as $r | $s.predict as $p | $s.ratios as $q | $s.targets as $t |
    "### serving: GET a user'"'"'s features, \($s.users) users from `rtfeat node --drain` of \($s.events) events, median of \($s.runs) (\($host))\n",
    "wrk -t2 -c\($s.connections) -d\($s.seconds)s, user ids Zipf 1.1 (`bench/wrk_zipf.lua`); wrk, Redis and the server share the 2 cores.\n",
    "| side | QPS | p50 | p99 | errors / status ≥ 400 | QPS of each run | notes |", "|---|---|---|---|---|---|---|",
    ($c.serve_cache_off | c500("`rtfeat serve`, cache off"; "\($q.serve_cache_off_to_flask | x) Flask; 4 keys pipelined per user, typed JSON")),
    ($c.serve_cache_on | c500("`rtfeat serve`, cache on"; "\($q.serve_cache_on_to_flask | x) Flask, \($q.serve_cache_on_to_nginx * 100 | round) % of nginx; near cache of \($s.cache_entries) keys")),
    ($c.flask | c500("article'"'"'s Flask service, gunicorn -w 2"; "HGETALL + ZRANGE + GET pipelined (redis-py, MULTI/EXEC), then SETEX")),
    ($c.nginx | c500("nginx, 2 workers, static JSON"; "\($s.answer_bytes)-byte file (serve'"'"'s median answer): the HTTP ceiling")),
    ($c.redis | c500("Redis, serve'"'"'s per-user pipeline"; "`bench_redis_pipeline` (not redis-benchmark: it cannot pipeline 4 different commands per id), \($s.connections) connections")),
    "",
    "Constant rate (`bench_http_load`, open loop, \($s.rate_connections) keep-alive connections, latency from each request'"'"'s scheduled time):\n",
    "| load | achieved QPS | p50 | p90 | p99 | p99.9 | max | errors / non-2xx | p99 of each run | client late by, at most |", "|---|---|---|---|---|---|---|---|---|---|",
    ($r.one_user_cache_off | rate("1 000 QPS, one user (`\($s.one_user)`), cache off")),
    ($r.zipf_cache_off | rate("1 000 QPS, Zipf users, cache off")),
    ($r.one_user_cache_on | rate("1 000 QPS, one user, cache on")),
    ($r.zipf_cache_on | rate("1 000 QPS, Zipf users, cache on")),
    ($p.cache_off | rate("POST /v1/predict, \($p.candidates) candidates, 500 QPS, cache off")),
    ($p.cache_on | rate("POST /v1/predict, \($p.candidates) candidates, 500 QPS, cache on")),
    ($r.nginx | rate("1 000 QPS, nginx static file (the box'"'"'s floor)")),
    "",
    "A request'"'"'s latency includes any time the client itself ran late (the last column): stalls of the box delay it too.\n",
    "| target (SPEC §8) | cache off | cache on |", "|---|---|---|",
    "| \($s.connections) connections: ≥ 20 × Flask, ≥ 35 000 QPS, p99 ≤ 10 ms | \($t.c500_cache_off | yn) (\($q.serve_cache_off_to_flask | x), \($c.serve_cache_off.qps | k), \($c.serve_cache_off.p99_ms | ms)) | \($t.c500_cache_on | yn) (\($q.serve_cache_on_to_flask | x), \($c.serve_cache_on.qps | k), \($c.serve_cache_on.p99_ms | ms)) |",
    "| 1 000 QPS, one user: p99 ≤ 1 ms (nginx static: \($r.nginx.p99_ms | ms)) | \($t.one_user_p99_cache_off | yn) (\($r.one_user_cache_off.p99_ms | ms)) | \($t.one_user_p99_cache_on | yn) (\($r.one_user_cache_on.p99_ms | ms)) |",
    "| cache on ≥ 0.7 × nginx QPS | — | \($t.cache_on_vs_nginx | yn) (\($q.serve_cache_on_to_nginx * 100 | round) %) |",
    "| predict, 100 candidates, 500 QPS: p99 ≤ 5 ms | \($t.predict_p99_cache_off | yn) (\($p.cache_off.p99_ms | ms)) | \($t.predict_p99_cache_on | yn) (\($p.cache_on.p99_ms | ms)) |",
    "",
    "Load average (1, 5, 15 min) at the start: \($s.load_avg_start); at the end: \($s.load_avg_end). User keys in Redis: \($s.user_keys_start) at the start, \($s.user_keys_end) at the end."
  ' "$RESULTS/serving.json"
}
