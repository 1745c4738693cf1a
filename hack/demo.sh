#!/usr/bin/env bash
# The local demo: a real control plane with simulated CPU and GPU nodes, the MedOps operator
# running against it, and a look at what is there. `make demo-down` stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
kubectl() { "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" "$@" 2>/dev/null; }

DEMO_NS="${DEMO_NS:-radiology}"
step() { printf '\n\033[1;32m### %s\033[0m\n' "$*"; }

step "1/5 Local control plane and node simulator (the first run builds Kubernetes 1.20.2: about 6 minutes)"
hack/cluster-up.sh

step "2/5 Simulated nodes, as the real scheduler sees them"
kubectl get nodes -L nvidia.com/gpu.product,nvidia.com/gpu.memory,nvidia.com/gpu.count

step "3/5 Installing the MedOps CRDs, building and starting the operator (out of cluster, with leader election)"
kubectl apply -f crds/ >/dev/null
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" wait --for=condition=Established crd --all --timeout=60s >/dev/null
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

step "4/5 Applying the samples in namespace $DEMO_NS and waiting for them to be Ready"
kubectl create namespace "$DEMO_NS" >/dev/null || true
kubectl -n "$DEMO_NS" apply -f samples/storage.yaml >/dev/null
for f in samples/*.yaml; do
  case "$f" in samples/storage.yaml|samples/training-storage.yaml) continue;; esac
  kubectl -n "$DEMO_NS" apply -f "$f" | sed 's/^/  /'
done
deadline=$((SECONDS + 180))
while :; do
  kubectl -n "$DEMO_NS" get medops 2>/dev/null | sed 's/^/  /'
  not_ready="$(kubectl -n "$DEMO_NS" get medops -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -cv '=True$' || true)"
  [ "$not_ready" = 0 ] && break
  if (( SECONDS > deadline )); then warn "not everything became Ready in 3 minutes; see kubectl -n $DEMO_NS describe medops"; break; fi
  echo "  … $not_ready not Ready yet"
  sleep 5
done

step "5/5 Where to look next"
kubectl get medops -A
echo
cat <<NEXT
  export KUBECONFIG=$CLUSTER_DIR/kubeconfig PATH=$TOOLS_BIN:\$PATH
  kubectl get medops -A                                # every MedOps resource, with its phase
  kubectl -n $DEMO_NS describe mm chest-xray            # conditions and events of one model
  kubectl get nodes -L nvidia.com/gpu.product          # the simulated GPU fleet
  curl -s http://127.0.0.1:$metrics_port/metrics | grep -E '^(controller_runtime|workqueue|rest_client|leader_election)'
  tail -f $CLUSTER_DIR/logs/operator.log               # the operator's log
  make demo-down                                        # stop everything
NEXT
