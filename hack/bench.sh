#!/usr/bin/env bash
# Runs the benchmarks against the local control plane and prints their table; the table is
# also written to docs/benchmarks/results.md.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
hack/cluster-up.sh
# The PNG charts draw their labels with this font (Skia leaves them blank when it finds none).
apt_install fonts-dejavu-core
# The operator refuses to start without its CRDs.
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" apply -f crds/ >/dev/null
"$TOOLS_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" wait --for=condition=Established crd --all --timeout=60s >/dev/null
dotnet build src/MedOps.Operator -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tests/MedOps.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet tests/MedOps.Benchmarks/bin/Release/net10.0/medops-bench.dll \
  --kubeconfig "$CLUSTER_DIR/kubeconfig" --objects "${BENCH_OBJECTS:-3000}" --models "${BENCH_MODELS:-1000}" \
  --idle-seconds "${BENCH_IDLE_SECONDS:-60}" --repo "$MEDOPS_ROOT" --out docs/benchmarks/results.md
