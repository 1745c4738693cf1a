#!/usr/bin/env bash
# The local demo: a real control plane with simulated CPU and GPU nodes, the MedOps operator
# running against it, and a look at what is there. `make demo-down` stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
kubectl() { "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" "$@" 2>/dev/null; }

step() { printf '\n\033[1;32m### %s\033[0m\n' "$*"; }

step "1/4 Local control plane and node simulator (the first run builds Kubernetes 1.20.2: about 6 minutes)"
hack/cluster-up.sh

step "2/4 Simulated nodes, as the real scheduler sees them"
kubectl get nodes -L nvidia.com/gpu.product,nvidia.com/gpu.memory,nvidia.com/gpu.count

step "3/4 Building and starting the MedOps operator (out of cluster, with leader election)"
dotnet build src/MedOps.Operator -c Release --nologo -v quiet >"$CLUSTER_DIR/logs/operator-build.log" 2>&1 \
  || { tail -n 30 "$CLUSTER_DIR/logs/operator-build.log"; die "building the operator failed"; }
metrics_port="$(free_port)"; health_port="$(free_port)"
if [ -f "$CLUSTER_DIR/pids/operator.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/pids/operator.pid")" 2>/dev/null; then
  kill "$(cat "$CLUSTER_DIR/pids/operator.pid")"; sleep 1
fi
setsid dotnet src/MedOps.Operator/bin/Release/net10.0/medops-operator.dll \
  --kubeconfig "$CLUSTER_DIR/medops-dev.kubeconfig" --leader-elect --leader-election-namespace default \
  --metrics-bind-address "127.0.0.1:$metrics_port" --health-probe-bind-address "127.0.0.1:$health_port" \
  >>"$CLUSTER_DIR/logs/operator.log" 2>&1 < /dev/null &
echo $! >"$CLUSTER_DIR/pids/operator.pid"
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$health_port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
printf 'healthz: %s   readyz: %s\n' "$(curl -s "http://127.0.0.1:$health_port/healthz")" "$(curl -s "http://127.0.0.1:$health_port/readyz")"
holder=""
for _ in $(seq 1 50); do
  holder="$(kubectl -n default get lease medops-operator -o jsonpath='{.spec.holderIdentity}' || true)"
  [ -n "$holder" ] && break
  sleep 0.2
done
echo "leader lease default/medops-operator held by: ${holder:-nobody yet (see $CLUSTER_DIR/logs/operator.log)}"

step "4/4 Where to look next"
cat <<NEXT
  export KUBECONFIG=$CLUSTER_DIR/kubeconfig PATH=$TOOLS_BIN:\$PATH
  kubectl get nodes -L nvidia.com/gpu.product          # the simulated GPU fleet
  curl -s http://127.0.0.1:$metrics_port/metrics | grep -E '^(controller_runtime|workqueue|rest_client|leader_election)'
  tail -f $CLUSTER_DIR/logs/operator.log               # the operator's log
  make demo-down                                        # stop everything
NEXT
