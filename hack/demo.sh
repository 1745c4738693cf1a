#!/usr/bin/env bash
# The local demo: a real control plane with simulated CPU and GPU nodes, the MedOps operator
# running against it, and a look at what is there. `make demo-down` stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
kubectl() { "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" "$@" 2>/dev/null; }

DEMO_NS="${DEMO_NS:-radiology}"
OPERATOR_NS="${OPERATOR_NS:-medops-system}"
RELEASE="${RELEASE:-medops}"
step() { printf '\n\033[1;32m### %s\033[0m\n' "$*"; }

step "1/8 Local control plane, a real node and the node simulator (the first run on a machine builds Kubernetes 1.20.2 and the images: about 20 minutes)"
hack/cluster-up.sh

step "2/8 Nodes, as the real scheduler sees them: medops-worker is real (kubelet on containerd), the others simulated"
kubectl get nodes -o wide -L nvidia.com/gpu.product,nvidia.com/gpu.count | cut -c1-200

step "3/8 Installing the Helm chart in $OPERATOR_NS: two operator pods from the image built here, on the real node"
# hack/images.sh built localhost/medops/operator (the published operator on Debian's libraries)
# and cluster-up imported it into the real node's containerd. The pods run restricted (non-root,
# read-only root filesystem, no capabilities, RuntimeDefault seccomp); one holds the Lease
# medops-operator, the other stands by; the API server calls the admission webhook through its
# Service. The node's taint medops.io/real-node keeps the simulated workloads off it, so the
# operator's pods tolerate it and select the node.
operator_image="$(hack/images.sh ref operator)"
KUBECTL="$TOOLS_BIN/kubectl" KUBECONFIG="$CLUSTER_DIR/kubeconfig" hack/adopt-crds.sh "$RELEASE" "$OPERATOR_NS"
# Kubernetes 1.21+ labels each namespace with its name, which the webhook's namespace selector
# uses to leave the operator's own namespace alone; on this 1.20 cluster the demo sets it.
kubectl create namespace "$OPERATOR_NS" >/dev/null || true
kubectl label namespace "$OPERATOR_NS" "kubernetes.io/metadata.name=$OPERATOR_NS" --overwrite >/dev/null
# medops-simulated is the node simulator's StorageClass, standing in for an encrypted one.
"$TOOLS_BIN/helm" --kubeconfig "$CLUSTER_DIR/kubeconfig" upgrade --install "$RELEASE" charts/medops \
  --namespace "$OPERATOR_NS" --set replicaCount=2 \
  --set "image.repository=${operator_image%:*}" --set "image.tag=${operator_image##*:}" --set image.pullPolicy=Never \
  --set 'nodeSelector.medops\.io/node=real' \
  --set 'tolerations[0].key=medops.io/real-node' --set 'tolerations[0].operator=Exists' --set 'tolerations[0].effect=NoSchedule' \
  --set "config.guardrails.phiStorageClasses={medops-simulated}" --wait --timeout 3m \
  >"$CLUSTER_DIR/logs/helm-install.log" 2>&1 \
  || { cat "$CLUSTER_DIR/logs/helm-install.log"; die "helm install failed"; }
"$TOOLS_BIN/helm" --kubeconfig "$CLUSTER_DIR/kubeconfig" list --namespace "$OPERATOR_NS" 2>/dev/null | sed 's/^/  /'
kubectl -n "$OPERATOR_NS" rollout status "deployment/$RELEASE-operator" --timeout=3m | sed 's/^/  /'
kubectl -n "$OPERATOR_NS" get pods -o wide -l "app.kubernetes.io/instance=$RELEASE" | sed 's/^/  /'
holder=""
for _ in $(seq 1 100); do
  holder="$(kubectl -n "$OPERATOR_NS" get lease medops-operator -o jsonpath='{.spec.holderIdentity}' || true)"
  [ -n "$holder" ] && break
  sleep 0.3
done
echo "  leader lease $OPERATOR_NS/medops-operator held by: ${holder:-nobody yet (see kubectl -n $OPERATOR_NS logs deploy/$RELEASE-operator)}"
leader_pod="${holder%%_*}"
echo "  the leader's log (kubectl -n $OPERATOR_NS logs $leader_pod):"
kubectl -n "$OPERATOR_NS" logs "$leader_pod" | grep -m 3 -i "lease\|leader\|started" | cut -c1-200 | sed 's/^/    /'
echo "  admission webhook: Service $OPERATOR_NS/$RELEASE-webhook (ValidatingWebhookConfiguration $RELEASE)"

step "4/8 Applying the samples in namespace $DEMO_NS through the admission webhook, and waiting for them to be Ready"
kubectl create namespace "$DEMO_NS" >/dev/null || true
kubectl -n "$DEMO_NS" apply -f samples/storage.yaml >/dev/null
echo "  a PHI model pointed at a public model hub is refused at the door:"
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" -n "$DEMO_NS" apply --dry-run=server -f - 2>&1 <<'REFUSED' | sed 's/^/    /' || true
apiVersion: medops.io/v1alpha1
kind: MedicalModel
metadata: {name: chest-xray-from-a-hub}
spec:
  modality: Imaging
  version: "1.0.0"
  dataClassification: PHI
  format: ONNX
  source: {uri: "https://huggingface.co/example/chest-xray"}
  runtime: {image: localhost/medops/sample-server:0.1.0, port: 8080}
  resources: {cpu: "2", memory: 4Gi}
REFUSED
for f in samples/*.yaml; do
  case "$f" in samples/storage.yaml|samples/training-storage.yaml|samples/diagnosis-training.yaml) continue;; esac
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

step "5/8 A workspace stopped for idleness (spec.lifecycle.idleTimeout: nobody logged in for 20 seconds, warned 10 seconds before)"
# The signal is the KubeVirt guest agent's user list (virtctl userlist), which the simulator's
# virt-api plays: nobody is logged in unless the VM is annotated sim.medops.io/guest-users. The
# operator records a Warning before the stop, sets running: false, and the workspace stays Ready,
# saying why and since when.
kubectl -n "$DEMO_NS" apply -f - <<'SESSION' | sed 's/^/  /'
apiVersion: medops.io/v1alpha1
kind: Workspace
metadata: {name: idle-session}
spec:
  owner: dr.lee@hospital.example
  cpu: 1
  memory: 1Gi
  image: {containerDisk: quay.io/containerdisks/ubuntu:22.04}
  dataClassification: DeIdentified
  lifecycle: {idleTimeout: 20s, shutdownWarning: 10s}
SESSION
deadline=$((SECONDS + 90))
until [ "$(kubectl -n "$DEMO_NS" get workspace idle-session -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}')" = Idle ]; do
  if (( SECONDS > deadline )); then warn "idle-session was not stopped for idleness in 90 s; see kubectl -n $DEMO_NS describe ws idle-session"; break; fi
  sleep 2
done
kubectl -n "$DEMO_NS" get workspace idle-session | sed 's/^/  /'
kubectl -n "$DEMO_NS" get workspace idle-session -o jsonpath='  Ready: {.status.conditions[?(@.type=="Ready")].reason}: {.status.conditions[?(@.type=="Ready")].message}{"\n"}'
kubectl -n "$DEMO_NS" get events --field-selector involvedObject.name=idle-session --sort-by=.lastTimestamp -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message | sed 's/^/  /'

step "6/8 A clinical model goes live only when a second person approves it (alice ships it, bob approves)"
# alice and bob are two people of the local cluster's token file (.cluster/users/): the API
# server authenticates them, and the operator's webhooks record who created the model, who set
# its version, and who approved it, from the request itself.
[ -f "$CLUSTER_DIR/users/alice.kubeconfig" ] || die "this cluster was started without the users alice and bob: run make demo-down, then make demo"
as_user() { local user="$1"; shift; "$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/users/$user.kubeconfig" -n "$DEMO_NS" "$@"; }
kubectl -n "$DEMO_NS" create rolebinding alice-edit --clusterrole=edit --user=alice >/dev/null || true
# alice may approve too, but not her own work: the two-person rule, not RBAC, stops her below.
kubectl -n "$DEMO_NS" create rolebinding alice-approver --clusterrole="$RELEASE-approver" --user=alice >/dev/null || true
kubectl -n "$DEMO_NS" create rolebinding bob-edit --clusterrole=edit --user=bob >/dev/null || true
kubectl -n "$DEMO_NS" create rolebinding bob-approver --clusterrole="$RELEASE-approver" --user=bob >/dev/null || true
echo "  alice (edit, approver) applies a Clinical model pinned by digest:"
as_user alice apply -f - <<'CLINICAL' 2>&1 | sed 's/^/    /'
apiVersion: medops.io/v1alpha1
kind: MedicalModel
metadata: {name: sepsis-risk}
spec:
  modality: Tabular
  version: "2.3.0"
  intendedUse: "Early warning of sepsis from vital signs and labs"
  usage: Clinical
  dataClassification: PHI
  format: ONNX
  source:
    uri: "pvc://models/sepsis-risk/2.3.0"
    digest: "sha256:5f2b9c0d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"
  runtime: {image: localhost/medops/sample-server:0.1.0, port: 8080}
  resources: {cpu: "1", memory: 2Gi}
CLINICAL
approval_yaml='apiVersion: medops.io/v1alpha1
kind: ModelApproval
metadata: {name: sepsis-risk-2.3.0}
spec:
  modelName: sepsis-risk
  version: "2.3.0"
  digest: "sha256:5f2b9c0d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"
  comment: "Validation report VR-2026-114, clinical safety case CS-88"'
deadline=$((SECONDS + 60))
until [ "$(kubectl -n "$DEMO_NS" get mm sepsis-risk -o jsonpath='{.status.phase}')" = AwaitingApproval ]; do
  (( SECONDS > deadline )) && { warn "sepsis-risk did not report AwaitingApproval in 60 s"; break; }
  sleep 1
done
kubectl -n "$DEMO_NS" get mm sepsis-risk -o wide | sed 's/^/    /'
kubectl -n "$DEMO_NS" get mm sepsis-risk -o jsonpath='    Ready: {.status.conditions[?(@.type=="Ready")].reason}: {.status.conditions[?(@.type=="Ready")].message}{"\n"}'
echo "  alice cannot approve her own version (a second person must):"
printf '%s\n' "$approval_yaml" | as_user alice create -f - 2>&1 | sed 's/^/    /' || true
echo "  bob (bound to $RELEASE-approver) approves it:"
printf '%s\n' "$approval_yaml" | as_user bob create -f - 2>&1 | sed 's/^/    /'
deadline=$((SECONDS + 90))
until [ "$(kubectl -n "$DEMO_NS" get mm sepsis-risk -o jsonpath='{.status.phase}')" = Ready ]; do
  (( SECONDS > deadline )) && { warn "sepsis-risk was not Ready 90 s after its approval; see kubectl -n $DEMO_NS describe mm sepsis-risk"; break; }
  sleep 1
done
kubectl -n "$DEMO_NS" get mmapproval | sed 's/^/    /'
kubectl -n "$DEMO_NS" get mm sepsis-risk -o wide | sed 's/^/    /'
echo "  its audit history (ConfigMaps in $OPERATOR_NS, hash-chained; medops audit verify checks the chain):"
medops() { dotnet src/MedOps.Cli/bin/Release/net10.0/medops.dll "$@"; }
dotnet build src/MedOps.Cli -c Release --nologo -v quiet >"$CLUSTER_DIR/logs/cli-build.log" 2>&1 \
  || { tail -n 30 "$CLUSTER_DIR/logs/cli-build.log"; die "building the medops command failed"; }
medops audit history -n "$DEMO_NS" --audit-namespace "$OPERATOR_NS" --kubeconfig "$CLUSTER_DIR/kubeconfig" medicalmodel/sepsis-risk | cut -c1-230 | sed 's/^/    /'
medops audit history -n "$DEMO_NS" --audit-namespace "$OPERATOR_NS" --kubeconfig "$CLUSTER_DIR/kubeconfig" modelapproval/sepsis-risk-2.3.0 | cut -c1-230 | sed 's/^/    /'
medops audit verify -n "$DEMO_NS" --audit-namespace "$OPERATOR_NS" --kubeconfig "$CLUSTER_DIR/kubeconfig" | sed 's/^/    /'

step "7/8 A TrainingJob trains for real on the real node, and the model it registers answers (images built here, nothing pulled)"
# samples/diagnosis-training.yaml: the operator (in its pod) creates two worker pods that run the
# sample trainer on scikit-learn's breast-cancer data set; their exit codes decide success, and
# rank 0 writes the model to the output claim (a real folder). The job then registers the
# MedicalModel "diagnosis"; the operator's Deployment runs the sample server, which loads that
# folder and passes its readiness probe, and one inference request goes through the model's
# Service (its ClusterIP is routed from this machine into the node's network namespace, where
# kube-proxy sends it to the pod).
kubectl -n "$DEMO_NS" apply -f samples/diagnosis-training.yaml | sed 's/^/  /'
wait_for() { # <what> <seconds> <command printing the value> <wanted value>
  local what="$1" deadline=$((SECONDS + $2)) value=""
  while value="$(eval "$3")"; [ "$value" != "$4" ]; do
    if (( SECONDS > deadline )); then warn "$what: still '${value:-nothing}' after $2 s"; return 1; fi
    sleep 2
  done
}
wait_for "the TrainingJob diagnosis-train" 240 \
  "kubectl -n $DEMO_NS get trainingjob diagnosis-train -o jsonpath='{.status.phase}'" Succeeded \
  || kubectl -n "$DEMO_NS" describe trainingjob diagnosis-train | tail -n 15 | sed 's/^/    /'
kubectl -n "$DEMO_NS" get trainingjob diagnosis-train | sed 's/^/  /'
kubectl -n "$DEMO_NS" get pods -l medops.io/trainingjob=diagnosis-train -o wide | cut -c1-120 | sed 's/^/  /'
echo "  the training run (kubectl -n $DEMO_NS logs diagnosis-train-worker-0):"
kubectl -n "$DEMO_NS" logs diagnosis-train-worker-0 | tail -n 3 | sed 's/^/    /'
wait_for "the registered MedicalModel diagnosis" 180 \
  "kubectl -n $DEMO_NS get mm diagnosis -o jsonpath='{.status.phase}'" Ready \
  || kubectl -n "$DEMO_NS" describe mm diagnosis | tail -n 15 | sed 's/^/    /'
kubectl -n "$DEMO_NS" get mm diagnosis -o wide | sed 's/^/  /'
kubectl -n "$DEMO_NS" get pods -l medops.io/medicalmodel=diagnosis -o wide | cut -c1-120 | sed 's/^/  /'
cluster_ip="$(kubectl -n "$DEMO_NS" get service diagnosis -o jsonpath='{.spec.clusterIP}')"
# predict.py prints the answer, then the whole reply: the answer is its first line. The output is
# read whole (not cut by head, whose early exit would break predict.py's pipe and fail it).
predict_diagnosis() { # <cluster IP>
  local reply
  if reply="$(python3 images/sample-model/predict.py "http://$1:8080" diagnosis 2>&1)"; then
    printf '    %s\n' "${reply%%$'\n'*}"
  else
    printf '    %s\n' "$reply"
    warn "the inference request failed; see kubectl -n $DEMO_NS logs deploy/diagnosis"
  fi
}
echo "  one case sent to the model's Service, http://$cluster_ip:8080/v2/models/diagnosis/infer:"
predict_diagnosis "$cluster_ip"
echo "  lineage with integrity: the job's last step computed the digest of its output in the cluster, and the model it registered is pinned to it"
echo "    status.outputDigest of diagnosis-train: $(kubectl -n "$DEMO_NS" get trainingjob diagnosis-train -o jsonpath='{.status.outputDigest}')"
echo "    pod diagnosis-train-output-digest (the model-initializer, image built here) said: $(kubectl -n "$DEMO_NS" get pod diagnosis-train-output-digest -o jsonpath='{.status.containerStatuses[0].state.terminated.message}')"
echo "    MedicalModel diagnosis, spec.source.digest: $(kubectl -n "$DEMO_NS" get mm diagnosis -o jsonpath='{.spec.source.digest}')"
server_pod="$(kubectl -n "$DEMO_NS" get pods -l medops.io/medicalmodel=diagnosis -o jsonpath='{.items[0].metadata.name}')"
echo "    its pod's model-initializer, before the server started: $(kubectl -n "$DEMO_NS" get pod "$server_pod" -o jsonpath='{.status.initContainerStatuses[0].state.terminated.message}')"
# medops-model-initializer digest <folder> is the pin users compute for what they upload; here
# it reads the trained folder through the claim's local volume (the simulator's hostPath).
dotnet build src/MedOps.ModelInitializer -c Release --nologo -v quiet >"$CLUSTER_DIR/logs/initializer-build.log" 2>&1 \
  || { tail -n 30 "$CLUSTER_DIR/logs/initializer-build.log"; die "building the model-initializer failed"; }
claim_uid="$(kubectl -n "$DEMO_NS" get pvc diagnosis-models -o jsonpath='{.metadata.uid}')"
trained="$CLUSTER_DIR/volumes/$claim_uid/diagnosis/1.0.0"
echo "    the same, computed here on the files (medops-model-initializer digest …/diagnosis/1.0.0): $(dotnet src/MedOps.ModelInitializer/bin/Release/net10.0/medops-model-initializer.dll digest "$trained")"
echo "  one byte appended to model.json on the output volume, and the server pod deleted: the new pod refuses the weights"
printf ' ' >>"$trained/model.json"
kubectl -n "$DEMO_NS" delete pod "$server_pod" --wait=false | sed 's/^/    /'
wait_for "the altered model to be refused" 120 \
  "kubectl -n $DEMO_NS get mm diagnosis -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].reason}'" ModelDigestMismatch \
  || kubectl -n "$DEMO_NS" describe mm diagnosis | tail -n 15 | sed 's/^/    /'
kubectl -n "$DEMO_NS" get mm diagnosis -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}    Ready={.status} {.reason}: {.message}{"\n"}{end}'
echo "  the byte taken back and the pod replaced: verified and serving again"
truncate -s -1 "$trained/model.json"
# The first pod may still be terminating; only the refusing one needs replacing.
kubectl -n "$DEMO_NS" wait --for=delete pod "$server_pod" --timeout=60s >/dev/null 2>&1 || true
kubectl -n "$DEMO_NS" delete pods -l medops.io/medicalmodel=diagnosis --wait=false | sed 's/^/    /'
wait_for "the restored model to serve again" 180 \
  "kubectl -n $DEMO_NS get mm diagnosis -o jsonpath='{.status.phase}'" Ready \
  || kubectl -n "$DEMO_NS" describe mm diagnosis | tail -n 15 | sed 's/^/    /'
kubectl -n "$DEMO_NS" get mm diagnosis -o wide | sed 's/^/    /'
predict_diagnosis "$cluster_ip"

step "8/8 Where to look next"
kubectl get medops -A
echo
cat <<NEXT
  export KUBECONFIG=$CLUSTER_DIR/kubeconfig PATH=$TOOLS_BIN:\$PATH
  kubectl get medops -A                                # every MedOps resource, with its phase
  kubectl -n $DEMO_NS describe mm chest-xray            # conditions and events of one model
  kubectl -n $DEMO_NS get mm,mmapproval -o wide         # clinical models and their approvals
  dotnet src/MedOps.Cli/bin/Release/net10.0/medops.dll audit verify -n $DEMO_NS --audit-namespace $OPERATOR_NS --kubeconfig $CLUSTER_DIR/kubeconfig
  helm -n $OPERATOR_NS status $RELEASE                  # the chart release (values: helm -n $OPERATOR_NS get values $RELEASE)
  kubectl auth can-i --list --as=system:serviceaccount:$OPERATOR_NS:$RELEASE-operator   # the operator's exact RBAC
  kubectl get nodes -L nvidia.com/gpu.product          # the simulated GPU fleet
  kubectl -n $OPERATOR_NS get pods -o wide             # the operator's two pods on the real node
  kubectl -n $OPERATOR_NS logs -f ${leader_pod:-deploy/$RELEASE-operator}   # the leader's log
  kubectl -n $DEMO_NS logs diagnosis-train-worker-0     # the real training run of step 7
  make demo-down                                        # stop everything
NEXT
