# The setting of a serve test (source after scripts/lib/common.sh and scripts/lib/work.sh):
#   serve_env NAME [LOG_LINES]
# makes the work dir, picks a Redis port (REDIS_PORT) and a serve port (SERVE_PORT,
# URL), sets `common` (the config and the Redis port, for every rtfeat command),
# stops redis-server and the serve in SERVE_PID (set it when serve starts) at exit,
# and shows the end of $WORK/serve.log on failure. Starting them is the test's.
serve_env() {
  work_dir "$1"
  REDIS_PORT=$(free_port)
  SERVE_PORT=$(free_listen_port)
  SERVE_PID=""
  on_exit 'stop_redis "$REDIS_PORT"'
  on_exit '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null'
  fail_shows '$WORK/serve.log' "${2:-10}"
  URL="http://127.0.0.1:$SERVE_PORT"
  common=(--config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT")
}
