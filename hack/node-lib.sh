#!/usr/bin/env bash
# The local cluster's own network, shared by cluster-up, cluster-down, node-up and node-down.
# Sourced after lib.sh, never run.
#
# Each local cluster (the demo's .cluster, the tests' .cluster-test) gets a slot N and, for it:
#   - a network namespace medops-N, in which the real node's containerd, kubelet, kube-proxy and
#     DNS stand-in run, so that kube-proxy's iptables rules, the pod bridge and the sysctls it
#     sets (ip_forward, route_localnet) belong to that namespace and vanish with it;
#   - a veth pair: medops-N on the host with HOST_IP (the API server binds and advertises it, so
#     pods reach the API through the kubernetes Service), eth0 in the namespace with NODE_IP;
#   - host routes for the pod subnet and the Service range through NODE_IP, so that the API
#     server (webhooks, logs, exec) and the host reach pods and ClusterIPs.
# The namespace has no default route: nothing in it (kubelet, pods) has a path off the machine,
# and the cloud metadata address is unreachable from it.
# Addresses: HOST_IP 172.31.N.1 and NODE_IP 172.31.N.2 (/30), pods 10.(200+N).0.0/24,
# Services 10.(100+N).0.0/16; none of these overlaps anything else on the machine (checked).

NODE_DIR="$CLUSTER_DIR/node"
NODE_NAME="medops-worker"
MAX_SLOTS=50

# Writes $CLUSTER_DIR/network.env for the first free slot: claiming it is `ip netns add`, which
# fails when another cluster holds the slot, so two clusters starting at once never share one.
allocate_network() {
  local slot
  for slot in $(seq 1 $MAX_SLOTS); do
    [ -e "/run/netns/medops-$slot" ] && continue
    ip route show | grep -q "^10\.$((200 + slot))\.0\.0/24\|^10\.$((100 + slot))\.0\.0/16\|172\.31\.$slot\." && continue
    ip netns add "medops-$slot" 2>/dev/null || continue
    cat >"$CLUSTER_DIR/network.env" <<NET
NODE_SLOT=$slot
NETNS=medops-$slot
HOST_IF=medops-$slot
HOST_IP=172.31.$slot.1
NODE_IP=172.31.$slot.2
POD_CIDR=10.$((200 + slot)).0.0/24
SERVICE_CIDR=10.$((100 + slot)).0.0/16
KUBERNETES_SERVICE_IP=10.$((100 + slot)).0.1
NET
    return 0
  done
  die "no free network slot (all of medops-1..medops-$MAX_SLOTS are taken): stop another local cluster"
}

load_network() {
  [ -f "$CLUSTER_DIR/network.env" ] || die "$CLUSTER_DIR/network.env is missing: start the cluster with hack/cluster-up.sh"
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/network.env"
}

# Runs a command in the cluster's network namespace, keeping the host's mount namespace (unlike
# `ip netns exec`, which gives the command a mount namespace of its own: kubelet's volume
# mounts would then be invisible to containerd).
in_netns() { nsenter --net="/run/netns/$NETNS" "$@"; }

# The veth pair and the host routes (idempotent: a restart of the cluster finds them in place).
setup_network() {
  load_network
  [ -e "/run/netns/$NETNS" ] || ip netns add "$NETNS"
  if ! ip link show "$HOST_IF" >/dev/null 2>&1; then
    ip link add "$HOST_IF" type veth peer name "$HOST_IF-n"
    ip link set "$HOST_IF-n" netns "$NETNS"
    ip -n "$NETNS" link set "$HOST_IF-n" name eth0
    ip addr add "$HOST_IP/30" dev "$HOST_IF"
    ip link set "$HOST_IF" up
    ip -n "$NETNS" addr add "$NODE_IP/30" dev eth0
    ip -n "$NETNS" link set eth0 up
    ip -n "$NETNS" link set lo up
  fi
  ip route replace "$POD_CIDR" via "$NODE_IP" dev "$HOST_IF"
  ip route replace "$SERVICE_CIDR" via "$NODE_IP" dev "$HOST_IF"
  # Forwarding inside the namespace only (host -> pod, and kube-proxy's DNAT); the host's own
  # ip_forward stays as it was.
  in_netns sysctl -qw net.ipv4.ip_forward=1
  # Backstop for the metadata address (the namespace has no default route anyway).
  in_netns iptables -C OUTPUT -d 169.254.0.0/16 -j REJECT 2>/dev/null || in_netns iptables -I OUTPUT -d 169.254.0.0/16 -j REJECT
  in_netns iptables -C FORWARD -d 169.254.0.0/16 -j REJECT 2>/dev/null || in_netns iptables -I FORWARD -d 169.254.0.0/16 -j REJECT
}

# Removes the namespace (its veth end, bridge, iptables rules and sysctls go with it), the host
# end of the veth and the routes through it.
teardown_network() {
  [ -f "$CLUSTER_DIR/network.env" ] || return 0
  load_network
  ip route del "$POD_CIDR" 2>/dev/null || true
  ip route del "$SERVICE_CIDR" 2>/dev/null || true
  ip link del "$HOST_IF" 2>/dev/null || true
  [ -e "/run/netns/$NETNS" ] && ip netns del "$NETNS"
  return 0
}
