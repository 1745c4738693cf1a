#!/usr/bin/env bash
# Starts a real local control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler 1.20.2), a real worker node (hack/node-up.sh) and the MedOps node simulator,
# and writes an admin kubeconfig to $CLUSTER_DIR/kubeconfig. etcd, the controller-manager and
# the scheduler listen on free loopback ports; the API server on a free port of the cluster's
# own host address (HOST_IP, hack/node-lib.sh), which pods reach through the kubernetes Service.
#
# Idempotent: when a healthy cluster is already running it only says so. A crashed earlier run
# (stale pid files, dead processes) is cleaned up first.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/node-lib.sh"

CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)
# The people of the static token file, each with a kubeconfig in $CLUSTER_DIR/users/.
CLUSTER_USERS="alice bob carol"

pid_alive() { local f="$CLUSTER_DIR/pids/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

control_plane_healthy() {
  [ -f "$CLUSTER_DIR/kubeconfig" ] || return 1
  for c in "${CONTROL_PLANE[@]}"; do pid_alive "$c" || return 1; done
  "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" get --raw /readyz >/dev/null 2>&1
}

start_component() {
  local name="$1"; shift
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/pids"
  # setsid: the component outlives this script and gets its own process group for cluster-down.
  setsid "$@" >>"$CLUSTER_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$CLUSTER_DIR/pids/$name.pid"
}

wait_for() {
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start > timeout )); then
      die "$what did not become ready within ${timeout}s (logs in $CLUSTER_DIR/logs)"
    fi
    sleep 0.3
  done
}

write_credentials() {
  local d="$CLUSTER_DIR/pki"
  mkdir -p "$d"
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  local token; token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  local dev_token; dev_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # A second identity for operators run by tests and the demo: the audit log tells their
  # requests apart from the test's own.
  printf '%s,admin,1,system:masters\n%s,medops-dev,2,system:masters\n' "$token" "$dev_token" >"$d/tokens.csv"
  echo "$token" >"$d/admin.token"
  echo "$dev_token" >"$d/medops-dev.token"
  # The real node's kubelet (Node authorizer + system:nodes) and its kube-proxy (the built-in
  # system:node-proxier binding covers system:kube-proxy).
  local node_token; node_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  local proxy_token; proxy_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s,system:node:%s,3,system:nodes\n%s,system:kube-proxy,4\n' "$node_token" "$NODE_NAME" "$proxy_token" >>"$d/tokens.csv"
  echo "$node_token" >"$d/node.token"
  echo "$proxy_token" >"$d/kube-proxy.token"
  # People without any rights of their own (RBAC grants them roles per namespace): the demo and
  # the tests use them as distinct authenticated users, for example a model's author (alice),
  # its clinical approver (bob) and another editor (carol).
  local uid=100
  for user in $CLUSTER_USERS; do
    local user_token; user_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '%s,%s,%s,medops:people\n' "$user_token" "$user" "$uid" >>"$d/tokens.csv"
    echo "$user_token" >"$d/$user.token"
    uid=$((uid + 1))
  done
  write_certificates "$d"
  chmod 600 "$d"/*
  # Metadata level: who did what to which object, without bodies. Tests and benchmarks count
  # requests per user from it (for example: zero writes by an idle operator).
  cat >"$CLUSTER_DIR/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
POLICY
}

# One CA of the cluster's own: it signs the API server's serving certificate (which pods verify
# through their ServiceAccount's ca.crt) and the API server's client certificate for kubelets
# (which the kubelet verifies before it serves logs, exec and port-forward).
write_certificates() {
  local d="$1"
  load_network
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" -days 3650 \
    -subj "/CN=medops-local-ca" 2>/dev/null
  issue_certificate "$d" apiserver "/CN=kube-apiserver" "serverAuth" \
    "IP:127.0.0.1,IP:$HOST_IP,IP:$KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  issue_certificate "$d" kubelet-client "/CN=kube-apiserver-kubelet-client" "clientAuth" ""
}

issue_certificate() {
  local d="$1" name="$2" subject="$3" usage="$4" sans="$5" ext
  ext="$(mktemp)"
  { echo "extendedKeyUsage=$usage"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    [ -n "$sans" ] && echo "subjectAltName=$sans"; } >"$ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" -subj "$subject" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -out "$d/$name.crt" -days 3650 -extfile "$ext" 2>/dev/null
  rm -f "$ext" "$d/$name.csr"
}

write_kubeconfig() {
  write_kubeconfig_for "$1" admin kubeconfig
  write_kubeconfig_for "$1" medops-dev medops-dev.kubeconfig
  mkdir -p "$CLUSTER_DIR/users"
  for user in $CLUSTER_USERS; do
    [ -f "$CLUSTER_DIR/pki/$user.token" ] && write_kubeconfig_for "$1" "$user" "users/$user.kubeconfig"
  done
}

write_kubeconfig_for() {
  local port="$1" user="$2" file="$3" token; token="$(cat "$CLUSTER_DIR/pki/$user.token")"
  cat >"$CLUSTER_DIR/$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: medops-local
  cluster:
    server: https://$HOST_IP:$port
    insecure-skip-tls-verify: true
users:
- name: $user
  user:
    token: $token
contexts:
- name: medops-local
  context: {cluster: medops-local, user: $user, namespace: default}
current-context: medops-local
KUBECONFIG
  chmod 600 "$CLUSTER_DIR/$file"
}

allocate_ports() {
  cat >"$CLUSTER_DIR/ports.env" <<PORTS
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
APISERVER_PORT=$(free_port)
SCHEDULER_PORT=$(free_port)
PORTS
}

start_etcd() {
  log "starting etcd on 127.0.0.1:$ETCD_PORT"
  start_component etcd /usr/bin/etcd --name medops --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "medops=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync
  wait_for "etcd" 30 env ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health
}

start_apiserver() {
  local pki="$CLUSTER_DIR/pki"
  # A /16 service range: a /24 holds only 254 ClusterIPs, and benchmarks create 1,000+ Services.
  # Node,RBAC: the real node's kubelet is authorized by the Node authorizer. Logs, exec and
  # port-forward go to the node's InternalIP with the kubelet-client certificate.
  log "starting kube-apiserver on https://$HOST_IP:$APISERVER_PORT"
  start_component kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --cert-dir="$pki" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --secure-port="$APISERVER_PORT" --bind-address="$HOST_IP" --advertise-address="$HOST_IP" \
    --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC \
    --kubelet-preferred-address-types=InternalIP \
    --kubelet-client-certificate="$pki/kubelet-client.crt" --kubelet-client-key="$pki/kubelet-client.key" \
    --token-auth-file="$pki/tokens.csv" --service-account-key-file="$pki/sa.pub" \
    --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc --allow-privileged=true --insecure-port=0 \
    --audit-policy-file="$CLUSTER_DIR/audit-policy.yaml" --audit-log-path="$CLUSTER_DIR/audit.log" \
    --audit-log-format=json --audit-log-mode=batch --audit-log-batch-max-wait=1s
  wait_for "kube-apiserver" 90 "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" get --raw /readyz
}

start_controller_manager() {
  log "starting kube-controller-manager"
  start_component kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$CLUSTER_DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 --port=0 --leader-elect=false \
    --service-account-private-key-file="$CLUSTER_DIR/pki/sa.key" --use-service-account-credentials=false \
    --root-ca-file="$CLUSTER_DIR/pki/ca.crt" \
    --controllers='*,-csrsigning,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-binder,-ttl'
}

start_scheduler() {
  log "starting kube-scheduler"
  start_component kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$CLUSTER_DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --port=0 --leader-elect=false
}

# Starts whichever control-plane component is not running, keeping ports, credentials and
# etcd data: a fresh cluster starts all four, a cluster whose apiserver was stopped (a test of
# an outage, a crash) gets just that one back.
start_control_plane() {
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/ports.env"
  load_network
  pid_alive etcd || start_etcd
  write_kubeconfig "$APISERVER_PORT"
  pid_alive kube-apiserver || start_apiserver
  pid_alive kube-controller-manager || start_controller_manager
  pid_alive kube-scheduler || start_scheduler
  # The default ServiceAccount appearing proves the controller-manager works.
  wait_for "kube-controller-manager" 60 "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" -n default get serviceaccount default
}

start_simulator() {
  local dll="$MEDOPS_ROOT/src/MedOps.NodeSimulator/bin/Release/net10.0/medops-node-simulator.dll"
  if [ ! -f "$dll" ] || [ -n "$(find "$MEDOPS_ROOT/src/MedOps.NodeSimulator" -name '*.cs' -newer "$dll" -print -quit)" ]; then
    log "building the node simulator"
    dotnet build "$MEDOPS_ROOT/src/MedOps.NodeSimulator" -c Release --nologo -v quiet >"$CLUSTER_DIR/logs/simulator-build.log" 2>&1 \
      || { tail -n 30 "$CLUSTER_DIR/logs/simulator-build.log" >&2; die "building the node simulator failed"; }
  fi
  log "starting the node simulator (simulated CPU and GPU nodes, KubeVirt and CDI)"
  # The simulated volumes' folders live in the cluster's own folder (cluster-down removes them):
  # a pod on the real node mounts them for real.
  mkdir -p "$CLUSTER_DIR/volumes"
  start_component node-simulator dotnet "$dll" --kubeconfig "$CLUSTER_DIR/kubeconfig" --host-path-root "$CLUSTER_DIR/volumes/"
  local kc="$CLUSTER_DIR/kubeconfig"
  wait_for "simulated nodes" 60 bash -c "'$TOOLS_BIN/kubectl' --kubeconfig '$kc' get nodes -l medops.io/simulated=true -o name | grep -q ."
}

main() {
  local start=$SECONDS
  if control_plane_healthy; then
    log "the local control plane is already running"
  elif [ -f "$CLUSTER_DIR/ports.env" ] && pid_alive etcd; then
    log "restarting the control-plane components that are down"
    setup_network
    start_control_plane
  else
    if [ -d "$CLUSTER_DIR/pids" ]; then
      warn "found the remains of an earlier run; cleaning up"
      "$MEDOPS_ROOT/hack/cluster-down.sh"
    fi
    "$MEDOPS_ROOT/hack/install.sh"
    mkdir -p "$CLUSTER_DIR"/{logs,pids}
    allocate_network
    setup_network
    write_credentials
    allocate_ports
    start_control_plane
  fi
  # MEDOPS_SIMULATOR=0 leaves the simulator out (for working on the simulator itself).
  # MEDOPS_REAL_NODE=0 leaves the real node out (for a control plane alone).
  if [ "${MEDOPS_REAL_NODE:-1}" != 0 ]; then
    "$MEDOPS_ROOT/hack/node-up.sh"
  fi
  if [ "${MEDOPS_SIMULATOR:-1}" != 0 ] && ! pid_alive node-simulator; then
    start_simulator
  fi
  echo "export KUBECONFIG=$CLUSTER_DIR/kubeconfig PATH=$TOOLS_BIN:\$PATH" >"$CLUSTER_DIR/env.sh"
  log "local cluster ready in $((SECONDS - start))s; use it with: source $CLUSTER_DIR/env.sh"
}
main "$@"
