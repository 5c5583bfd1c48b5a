#!/usr/bin/env bash
# Inter-node TLS through caf_openssl (docs/cluster.md "Security"), with the
# cluster secret on top:
#  1. a node whose TLS files cannot be used exits 2 at start, naming the key;
#  2. n1 and n2 (TLS, certificates of the cluster CA) wait for n3; a process
#     with a certificate of another CA, then one without TLS, try to join as
#     n3: each is refused by the TLS layer and says why after
#     cluster.connect_timeout_ms, n1 logs each refusal, while n1 and n2 keep
#     waiting (the stale-OpenSSL-error fix of cmd/tls_io_hooks.cpp); a silent
#     connection is dropped after the handshake timeout; the listening
#     port speaks TLS with a CA-signed certificate; then the real n3 (its key
#     encrypted, passphrase from RTFEAT_TLS_KEY_PASSPHRASE) joins and the job
#     drains with zero oracle differences.
# Usage: cluster_tls_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-50000} PARTITIONS=${PARTITIONS:-12} SEED=${SEED:-37}
source "$ROOT/test/integration/lib/cluster.sh"

CERTS=$WORK/certs ROGUE=$WORK/rogue
"$ROOT/scripts/make-cluster-certs" "$CERTS" n1 n2
RTFEAT_TLS_KEY_PASSPHRASE=n3-passphrase "$ROOT/scripts/make-cluster-certs" --encrypt "$CERTS" n3
"$ROOT/scripts/make-cluster-certs" "$ROGUE" n3  # its own CA
# The rogue trusts both CAs, so the refusal is the cluster's, not its own.
cat "$ROGUE/ca.pem" "$CERTS/ca.pem" >"$ROGUE/both-cas.pem"
# The shared config names n1's files relative to itself; every node gives its own with --set.
printf '\n[cluster.tls]\ncertificate = "certs/n1.pem"\nkey = "certs/n1.key"\nca_file = "certs/ca.pem"\n' \
  >>"$CLUSTER_CONFIG"
own_tls() { TLS_ARGS=(--set "cluster.tls.certificate=$CERTS/$1.pem" --set "cluster.tls.key=$CERTS/$1.key"); }

# Waits for node $1, which must fail with exit code $2; its log must match the extended regex $3.
expect_exit() {
  local id=$1 want=$2 text=$3 rc=0
  wait "${NODE_PIDS[$id]}" || rc=$?
  unset "NODE_PIDS[$id]"
  [ "$rc" -eq "$want" ] || fail "node $id of run $RUN exited $rc, expected $want ($text)"
  grep -qE "$text" "$WORK/node-$id-$RUN.log" || fail "node $id of run $RUN does not say: $text"
}

RUN=1
own_tls n2
start_cluster_node n2 --drain "${TLS_ARGS[@]}" --set "cluster.tls.ca_file=$WORK/no-such-ca.pem"
expect_exit n2 2 "cluster.tls.ca_file: cannot read '.*no-such-ca.pem': No such file or directory"
start_cluster_node n3 --drain --set "cluster.tls.certificate=$CERTS/n3.pem" --set "cluster.tls.key=$CERTS/n3.key"
expect_exit n3 2 "cluster.tls.key: '.*n3.key' is encrypted: set RTFEAT_TLS_KEY_PASSPHRASE"

RUN=2
export RTFEAT_CLUSTER_SECRET=tls-and-secret
own_tls n1 && start_cluster_node n1 --drain "${TLS_ARGS[@]}"
own_tls n2 && start_cluster_node n2 --drain "${TLS_ARGS[@]}"
n1_port=$(awk '/^[ \t]*\[\[cluster.node\]\]/ { n++ } n == 1 && /^[ \t]*port/ { print $3; exit }' "$CLUSTER_CONFIG")
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$n1_port") 2>/dev/null && break; sleep 0.1; done
# A peer that opens the port and says nothing gets tls_handshake_timeout (5 s), meanwhile the rest goes on.
(exec 7<>"/dev/tcp/127.0.0.1/$n1_port"; sleep 7) &
SILENT=$!
RUN=3  # the refused attempts keep their own logs
start_cluster_node n3 --drain --set cluster.connect_timeout_ms=3000 --set "cluster.tls.certificate=$ROGUE/n3.pem" \
  --set "cluster.tls.key=$ROGUE/n3.key" --set "cluster.tls.ca_file=$ROGUE/both-cas.pem"
expect_exit n3 1 \
  "node 'n1' .* is unreachable .* after cluster.connect_timeout_ms; the peer refused the TLS handshake \(.*unknown ca"
RUN=4
start_cluster_node n3 --drain --set cluster.connect_timeout_ms=3000 \
  --set cluster.tls.certificate= --set cluster.tls.key= --set cluster.tls.ca_file=
expect_exit n3 1 "node 'n1' .* is unreachable .*; if the peer uses TLS \(cluster.tls.\*\), this node must too"
kill -0 "${NODE_PIDS[n1]}" 2>/dev/null && kill -0 "${NODE_PIDS[n2]}" 2>/dev/null \
  || fail "a refused peer brought n1 or n2 down"
wait "$SILENT"
for text in "its certificate does not verify against cluster.tls.ca_file" "it does not speak TLS" \
  "no TLS handshake within 5000 ms"; do
  grep -q "cluster: refused a TLS connection from 127.0.0.1:[0-9]*: $text" "$WORK/node-n1-2.log" \
    || fail "n1 does not log the refusal: $text"
done
openssl s_client -connect "127.0.0.1:$n1_port" -CAfile "$CERTS/ca.pem" -verify_return_error \
  -cert "$CERTS/n2.pem" -key "$CERTS/n2.key" </dev/null 2>&1 | grep -q "Verify return code: 0 (ok)" \
  || fail "n1's port does not speak TLS with a certificate of the cluster CA"
RUN=5
own_tls n3
RTFEAT_TLS_KEY_PASSPHRASE=n3-passphrase start_cluster_node n3 --drain "${TLS_ARGS[@]}"
wait_cluster
grep -q "cluster: TLS between nodes" "$WORK/node-n3-$RUN.log" || fail "n3 does not say it uses TLS"
check_oracle
log "PASS: unusable TLS files refused at start, another CA, plain TCP and a silent peer refused and logged," \
  "3 TLS nodes drained with zero differences"
