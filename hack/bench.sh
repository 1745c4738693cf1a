#!/usr/bin/env bash
# Runs the benchmarks against the local control plane and prints their table; the table is
# also written to docs/benchmarks/runtime.md.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDOPS_ROOT"
hack/cluster-up.sh
dotnet build tests/MedOps.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet tests/MedOps.Benchmarks/bin/Release/net10.0/medops-bench.dll \
  --kubeconfig "$CLUSTER_DIR/kubeconfig" --objects "${BENCH_OBJECTS:-3000}" --out docs/benchmarks/runtime.md
