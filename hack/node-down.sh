#!/usr/bin/env bash
# Stops the local cluster's real worker node and removes every trace of it from the host, in
# the order that leaves the host as it was found: the node's pods (short grace, while the API
# server still answers), kube-proxy, kubelet, the DNS stand-in, the containers' shims and
# containerd, then the mounts under the node's folder, its cgroups, the files kubelet and libcni
# keep in fixed host paths. The network namespace, veth and routes stay for the API server, which
# listens on them: hack/cluster-down.sh removes them last (teardown_network, hack/node-lib.sh).
# Safe to run when nothing of the node is running. Called by hack/cluster-down.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/node-lib.sh"

KUBECTL=("$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" --request-timeout=5s)

stop_daemon() {
  local f="$CLUSTER_DIR/pids/$1.pid" pid
  pid="$(cat "$f" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

# Pod UIDs of this node: kubelet writes their logs under /var/log/pods and /var/log/containers,
# paths that 1.20 does not let us move.
node_pod_uids() {
  "${KUBECTL[@]}" get pods --all-namespaces --field-selector "spec.nodeName=$NODE_NAME" \
    -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' 2>/dev/null || true
}

delete_node_pods() {
  "${KUBECTL[@]}" get node "$NODE_NAME" >/dev/null 2>&1 || return 0
  "${KUBECTL[@]}" delete pods --all-namespaces --field-selector "spec.nodeName=$NODE_NAME" \
    --grace-period=1 --wait=false >/dev/null 2>&1 || true
  local start=$SECONDS
  while [ -n "$(node_pod_uids)" ] && (( SECONDS - start < 20 )); do sleep 1; done
}

# The containers' shims (containerd-shim-runc-v2) outlive containerd by design; stop those of
# this containerd (their command line names its socket's folder) with their containers.
stop_shims() {
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $NODE_DIR/containerd/" || true); do
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Whatever is still in the node's cgroups (a container's processes whose shim is gone).
  local procs
  procs="$(cat /sys/fs/cgroup/*/medops-"$NODE_SLOT"/kubepods/cgroup.procs /sys/fs/cgroup/*/medops-"$NODE_SLOT"/kubepods/*/cgroup.procs \
    /sys/fs/cgroup/*/medops-"$NODE_SLOT"/kubepods/*/*/cgroup.procs /sys/fs/cgroup/*/medops-"$NODE_SLOT"/kubepods/*/*/*/cgroup.procs 2>/dev/null | sort -u || true)"
  [ -n "$procs" ] && kill -KILL $procs 2>/dev/null || true
}

unmount_node_dir() {
  local m
  # Deepest first, so that a mount inside another comes off before it.
  for m in $(awk -v d="$NODE_DIR/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

remove_cgroups() {
  local h
  for h in /sys/fs/cgroup/*/medops-"$NODE_SLOT"; do
    [ -d "$h" ] || continue
    find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# kubelet's pod logs and libcni's result cache live in fixed host paths: remove this node's
# entries ($1: pod UIDs, $2: container and sandbox IDs), and the folders node-up found missing
# (host-paths.created) once they are empty.
remove_host_paths() {
  local uid
  for uid in $1; do
    rm -rf /var/log/pods/*_"$uid" 2>/dev/null || true
    find /var/log/containers -maxdepth 1 -lname "*_$uid/*" -delete 2>/dev/null || true
  done
  # Pods deleted before node-down (a test's namespace) are no longer listed, but kubelet may
  # not have removed their logs yet. Only the local clusters' kubelets write there: once no other
  # one runs, whatever is left is ours.
  if ! pgrep -f "kubelet .*--root-dir=" >/dev/null; then
    rm -rf /var/log/pods/* /var/log/containers/* 2>/dev/null || true
  fi
  rm -f /var/lib/cni/results/"$NETNS"-* 2>/dev/null || true
  # containerd's own loopback network keeps entries too, named by the sandbox's ID; and each
  # shim's socket is /run/containerd/s/<sha256 of "<containerd socket>/<namespace>/<id>">, left
  # behind when the shim is killed.
  local id
  for id in $2; do
    rm -f /var/lib/cni/results/*-"$id"-* 2>/dev/null || true
    rm -f "/run/containerd/s/$(printf '%s' "$NODE_DIR/containerd/containerd.sock/k8s.io/$id" | sha256sum | cut -d' ' -f1)"
  done
  local p
  for p in $(cat "$NODE_DIR/host-paths.created" 2>/dev/null); do rmdir "$p" 2>/dev/null || true; done
}

main() {
  [ -f "$CLUSTER_DIR/network.env" ] || return 0
  load_network
  local uids; uids="$(node_pod_uids)"
  delete_node_pods
  stop_daemon kube-proxy
  stop_daemon kubelet
  stop_daemon dns-feeder
  stop_daemon dnsmasq
  local sandboxes
  sandboxes="$(ctr --address "$NODE_DIR/containerd/containerd.sock" -n k8s.io containers ls -q 2>/dev/null || true)"
  stop_shims
  stop_daemon containerd
  unmount_node_dir
  remove_cgroups
  remove_host_paths "$uids" "$sandboxes"
  return 0
}
main "$@"
