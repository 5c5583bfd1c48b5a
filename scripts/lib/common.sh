# Shared helpers for scripts/ and test/integration/: package install, build,
# free loopback ports, and the local services (redis-server, mock Kafka).
# Source it; it defines functions only.

RTFEAT_PACKAGES=(g++ cmake ninja-build pkg-config libcaf-dev librdkafka-dev libhiredis-dev
  libmsgpack-cxx-dev doctest-dev libsimdjson-dev libtomlplusplus-dev libcli11-dev libabsl-dev
  libssl-dev libjemalloc-dev libcpp-httplib-dev libboost-dev openssl redis-server redis-tools jq
  libxgboost-dev python3-xgboost python3-numpy)  # python3-*: test/data/model/train_model.py

# scripts/fuzz (and scripts/test, which runs it): clang and libFuzzer for test/fuzz.
RTFEAT_FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev llvm-14)

log() { printf '%s\n' "$*" >&2; }

# Installs the Debian packages that are missing (as root, or through sudo).
install_packages() {
  local missing=()
  for p in "${RTFEAT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures and builds into $1 (default build/) from the repository root $2.
build_rtfeat() {
  local build_dir=${1:-build} root=${2:-.}
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
}

# Prints a free TCP port on 127.0.0.1 *below* the kernel's ephemeral range: a port in
# that range can be held by any outgoing connection on the host (the tests' own Kafka,
# Redis and CAF clients), and a listener then fails to bind it (a redis-server of a
# parallel test did). Nothing listens on the port when it is printed.
free_port() {
  local low p
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

# The same, for a port bound later or again after a restart (cluster nodes).
free_listen_port() { free_port; }

# Starts redis-server on port $1 with its files in $2 (no persistence); more
# redis-server options may follow (--requirepass PW).
start_redis() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${@:3}"
  for _ in $(seq 1 100); do
    # Any answer, NOAUTH included, means it is up.
    [ -n "$(redis-cli -p "$port" ping 2>/dev/null)" ] && return 0
    sleep 0.05
  done
  log "redis-server did not start on port $port (see $dir/redis.log)"; return 1
}

stop_redis() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; }

# Starts `rtfeat mock-kafka` ($1 = rtfeat binary, $2 partitions, $3 topic, $4 dir) in the
# background; sets MOCK_KAFKA_PID and MOCK_KAFKA_BOOTSTRAP.
start_mock_kafka() {
  local bin=$1 partitions=$2 topic=$3 dir=$4
  mkdir -p "$dir"
  "$bin" mock-kafka --partitions "$partitions" --topic "$topic" >"$dir/mock-kafka.out" 2>"$dir/mock-kafka.err" &
  MOCK_KAFKA_PID=$!
  for _ in $(seq 1 200); do
    if grep -q '^bootstrap=' "$dir/mock-kafka.out" 2>/dev/null; then
      MOCK_KAFKA_BOOTSTRAP=$(sed -n 's/^bootstrap=//p' "$dir/mock-kafka.out" | head -1)
      return 0
    fi
    kill -0 "$MOCK_KAFKA_PID" 2>/dev/null || break
    sleep 0.05
  done
  log "mock-kafka did not start (see $dir/mock-kafka.err)"; return 1
}
