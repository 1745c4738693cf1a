#!/usr/bin/env bash
# Starts the local cluster's real worker node, medops-worker: containerd + runc, bridge CNI with
# host-local IPAM, kubelet and kube-proxy 1.20.2 (built by hack/install.sh with the control
# plane), and a DNS stand-in (dnsmasq fed from the cluster's Services), all in the cluster's
# network namespace (hack/node-lib.sh). The images pods run are built here (hack/images.sh) and
# imported into this containerd; nothing is pulled from a registry.
#
# Idempotent: starts whichever part is not running. Called by hack/cluster-up.sh once the API
# server is up; hack/node-down.sh undoes it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/node-lib.sh"

KUBECTL=("$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig")
SOCKET="$NODE_DIR/containerd/containerd.sock"
# The images every node needs before its first pod (the sandbox), and those the operator, the
# samples, the demo and the tests run (an image already in containerd is skipped).
NODE_IMAGES=(pause operator model-initializer sample-trainer sample-server)

node_pid_alive() { local f="$CLUSTER_DIR/pids/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# Starts a daemon of the node in the network namespace, in a session of its own, recording the
# daemon's own PID from inside the child (a `setsid cmd & echo $!` would record the wrapper's).
start_node_daemon() {
  local name="$1"; shift
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/pids"
  setsid nsenter --net="/run/netns/$NETNS" bash -c 'echo $$ >"$0"; exec "$@"' "$CLUSTER_DIR/pids/$name.pid" "$@" \
    >>"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  local start=$SECONDS
  until [ -s "$CLUSTER_DIR/pids/$name.pid" ]; do
    (( SECONDS - start > 10 )) && die "$name did not start (log: $CLUSTER_DIR/logs/$name.log)"
    sleep 0.1
  done
}

wait_until() {
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start > timeout )) && die "$what within ${timeout}s (logs in $CLUSTER_DIR/logs)"
    sleep 0.5
  done
}

write_containerd_config() {
  local d="$NODE_DIR/containerd" pause_ref; pause_ref="$("$MEDOPS_ROOT/hack/images.sh" ref pause)"
  mkdir -p "$d" "$NODE_DIR/cni/net.d" "$NODE_DIR/cni/ipam" "$NODE_DIR/runc"
  # Its own root, state and sockets: nothing shared with another containerd on the machine.
  # restrict_oom_score_adj: this machine lacks CAP_SYS_RESOURCE, so the pause container's
  # oom_score_adj of -998 would fail; disable_apparmor: no AppArmor here. The opt plugin is off
  # (it would create /opt/containerd on the host).
  cat >"$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "$SOCKET"
[ttrpc]
  address = "$SOCKET.ttrpc"
[debug]
  address = "$d/debug.sock"
[metrics]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_ref"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  disable_apparmor = true
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "/usr/sbin/runc"
        Root = "$NODE_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE_DIR/cni/net.d"
    max_conf_num = 1
TOML
  # The pod network: a bridge in the namespace, the gateway on it, no masquerading (pods have no
  # path off the machine), hairpin so a pod reaches itself through its Service.
  cat >"$NODE_DIR/cni/net.d/10-medops.conflist" <<CNI
{
  "cniVersion": "0.4.0",
  "name": "$NETNS",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$NODE_DIR/cni/ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CNI
}

start_containerd() {
  write_containerd_config
  log "starting containerd for $NODE_NAME"
  start_node_daemon containerd /usr/bin/containerd --config "$NODE_DIR/containerd/config.toml"
  wait_until "containerd did not answer" 30 ctr --address "$SOCKET" version
}

# Node kubeconfigs: the API server's address with the cluster's CA, and the component's token.
write_node_kubeconfig() {
  local name="$1" token_file="$2"
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/ports.env"
  cat >"$NODE_DIR/$name.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: medops-local
  cluster: {server: "https://$HOST_IP:$APISERVER_PORT", certificate-authority: "$CLUSTER_DIR/pki/ca.crt"}
users:
- name: $name
  user: {token: "$(cat "$CLUSTER_DIR/pki/$token_file")"}
contexts:
- name: medops-local
  context: {cluster: medops-local, user: $name}
current-context: medops-local
KUBECONFIG
  chmod 600 "$NODE_DIR/$name.kubeconfig"
}

# cgroup v1 with cgroupfs: the node's pods live under /medops-<slot> in every hierarchy, so two
# local clusters never share a cgroup and node-down removes exactly what this node made.
make_cgroup_root() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h" ] && [ ! -L "${h%/}" ] && mkdir -p "$h/medops-$NODE_SLOT"
  done
}

write_kubelet_config() {
  write_node_kubeconfig kubelet node.token
  mkdir -p "$NODE_DIR/kubelet" "$NODE_DIR/kubelet-pki" "$NODE_DIR/volume-plugins"
  # address: the node IP only; read-only port off; healthz on the namespace's loopback.
  # makeIPTablesUtilChains false: kubelet's KUBE-FIREWALL rules are not needed (kube-proxy makes
  # its own chains). Image GC and eviction thresholds near their limits: small disks, and images
  # cannot be pulled again. clusterDNS: the DNS stand-in on the node IP. resolvConf "": pods get
  # no search domains of the host's.
  cat >"$NODE_DIR/kubelet-config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$CLUSTER_DIR/pki/ca.crt"}
authorization:
  mode: Webhook
cgroupDriver: cgroupfs
cgroupsPerQOS: true
cgroupRoot: /medops-$NODE_SLOT
enforceNodeAllocatable: [pods]
failSwapOn: false
oomScoreAdj: 0
makeIPTablesUtilChains: false
clusterDomain: cluster.local
clusterDNS: [$NODE_IP]
resolvConf: ""
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", nodefs.inodesFree: "1%", imagefs.available: "1%"}
serializeImagePulls: false
maxPods: 110
YAML
}

start_kubelet() {
  write_kubelet_config
  make_cgroup_root
  log "starting kubelet for $NODE_NAME ($NODE_IP)"
  # AWS_EC2_METADATA_DISABLED: kubelet 1.20's built-in ECR credential provider would otherwise
  # ask the cloud metadata address for credentials at start-up.
  start_node_daemon kubelet env AWS_EC2_METADATA_DISABLED=true "$K8S_BIN/kubelet" \
    --container-runtime=remote --container-runtime-endpoint="unix://$SOCKET" \
    --root-dir="$NODE_DIR/kubelet" --cert-dir="$NODE_DIR/kubelet-pki" \
    --volume-plugin-dir="$NODE_DIR/volume-plugins" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
    --pod-infra-container-image="$("$MEDOPS_ROOT/hack/images.sh" ref pause)" \
    --node-labels="medops.io/node=real" \
    --register-with-taints="medops.io/real-node=true:NoSchedule" \
    --config="$NODE_DIR/kubelet-config.yaml" --kubeconfig="$NODE_DIR/kubelet.kubeconfig" --v=1
}

start_kube_proxy() {
  write_node_kubeconfig kube-proxy kube-proxy.token
  # conntrack sizes and timeouts 0: leave the machine's conntrack settings as they are.
  cat >"$NODE_DIR/kube-proxy-config.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
clientConnection: {kubeconfig: "$NODE_DIR/kube-proxy.kubeconfig"}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
  log "starting kube-proxy for $NODE_NAME"
  start_node_daemon kube-proxy "$K8S_BIN/kube-proxy" --config="$NODE_DIR/kube-proxy-config.yaml"
}

# The DNS stand-in: dnsmasq on the node IP answers the names of Services (and of the pods of
# headless Services) from a hosts file that hack/node-dns-feeder.py keeps current from watches
# of the API; it forwards nothing (no upstream), so no query leaves the machine.
start_dns() {
  mkdir -p "$NODE_DIR/dns"
  : >"$NODE_DIR/dns/hosts"
  log "starting the DNS stand-in (dnsmasq on $NODE_IP:53)"
  start_node_daemon dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts \
    --listen-address="$NODE_IP" --bind-interfaces --addn-hosts="$NODE_DIR/dns/hosts" \
    --domain-needed --local=/cluster.local/ --pid-file="$NODE_DIR/dns/dnsmasq.pid" --user=root --log-facility=-
  start_node_daemon dns-feeder python3 "$MEDOPS_ROOT/hack/node-dns-feeder.py" "$TOOLS_BIN/kubectl" "$CLUSTER_DIR/kubeconfig" \
    "$NODE_DIR/dns/hosts" "$CLUSTER_DIR/pids/dnsmasq.pid"
}

node_ready() {
  [ "$("${KUBECTL[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

# The node-lifecycle controller is off (simulated nodes renew no leases), so nothing lifts the
# not-ready taint a new node registers with: lift it once the node is Ready.
lift_not_ready_taint() {
  "${KUBECTL[@]}" taint node "$NODE_NAME" node.kubernetes.io/not-ready:NoSchedule- >/dev/null 2>&1 || true
}

# Fixed host paths that kubelet 1.20, libcni and containerd 1.6 (its shims' sockets) write to;
# those missing now are listed (deepest first) so that node-down removes them again.
note_host_paths() {
  [ -f "$NODE_DIR/host-paths.created" ] && return 0
  local p
  for p in /var/log/containers /var/log/pods /var/lib/cni/results /var/lib/cni /run/containerd/s /run/containerd; do
    [ -e "$p" ] || echo "$p"
  done >"$NODE_DIR/host-paths.created"
}

main() {
  local start=$SECONDS
  load_network
  mkdir -p "$NODE_DIR"
  note_host_paths
  # The API server's requests to kubelets (logs, exec) are authorized by the kubelet's webhook.
  "${KUBECTL[@]}" create clusterrolebinding medops-apiserver-kubelet-client --clusterrole=system:kubelet-api-admin \
    --user=kube-apiserver-kubelet-client --dry-run=client -o yaml | "${KUBECTL[@]}" apply -f - >/dev/null
  "$MEDOPS_ROOT/hack/images.sh" build "${NODE_IMAGES[@]}"
  node_pid_alive containerd || start_containerd
  "$MEDOPS_ROOT/hack/images.sh" import "$SOCKET" "${NODE_IMAGES[@]}"
  node_pid_alive dnsmasq || start_dns
  node_pid_alive kubelet || start_kubelet
  node_pid_alive kube-proxy || start_kube_proxy
  wait_until "node $NODE_NAME did not become Ready" 90 node_ready
  lift_not_ready_taint
  log "real node $NODE_NAME Ready in $((SECONDS - start))s"
}
main "$@"
