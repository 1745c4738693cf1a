#!/usr/bin/env bash
# Stops everything hack/cluster-up.sh started and removes its state: no stray process, no
# leftover port. Safe to run when nothing is running.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/node-lib.sh"

stop_pid_file() {
  local f="$1" pid; pid="$(cat "$f" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  # Each component runs in its own session (setsid), so its process group id is its pid.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

main() {
  if [ ! -d "$CLUSTER_DIR" ]; then log "no local cluster to stop"; return 0; fi
  # The real node first, while the API server can still delete its pods.
  "$MEDOPS_ROOT/hack/node-down.sh"
  # Reverse start order: the simulator and clients first, etcd last.
  for c in node-simulator kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$CLUSTER_DIR/pids/$c.pid" ] && stop_pid_file "$CLUSTER_DIR/pids/$c.pid"
  done
  # Operators and other helpers started against this cluster record their pids here too.
  for f in "$CLUSTER_DIR"/pids/*.pid; do [ -f "$f" ] && stop_pid_file "$f"; done
  teardown_network
  rm -rf "$CLUSTER_DIR"
  log "local cluster stopped and its state removed"
}
main "$@"
