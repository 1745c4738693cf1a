#!/usr/bin/env bash
# Runs the benchmarks against the local control plane and prints their table; the table is
# also written to docs/benchmarks/results.md, with PNG charts beside it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
hack/cluster-up.sh
# The PNG charts draw their labels with this font (Skia leaves them blank when it finds none).
apt_install fonts-dejavu-core
# The operator refuses to start without its CRDs.
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" apply -f crds/ >/dev/null
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" wait --for=condition=Established crd --all --timeout=60s >/dev/null
# The operator is measured as the image ships it: published and compiled ahead of time
# (ReadyToRun), so that the figures are not the JIT's.
operator_dir="$MEDOPS_ROOT/.build/bench-operator"
run_with_progress "publishing the operator (ReadyToRun)" \
  dotnet publish src/MedOps.Operator -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -p:UseAppHost=false -o "$operator_dir" --nologo -v quiet
dotnet build tests/MedOps.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet tests/MedOps.Benchmarks/bin/Release/net10.0/medops-bench.dll \
  --kubeconfig "$CLUSTER_DIR/kubeconfig" --operator "$operator_dir/medops-operator.dll" \
  --objects "${BENCH_OBJECTS:-3000}" --models "${BENCH_MODELS:-1000}" --rounds "${BENCH_ROUNDS:-3}" \
  --scale-models "${BENCH_SCALE_MODELS:-5000}" --idle-seconds "${BENCH_IDLE_SECONDS:-60}" \
  --repo "$MEDOPS_ROOT" --out docs/benchmarks/results.md
