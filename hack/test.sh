#!/usr/bin/env bash
# Runs the test suites: `unit`, `integration` (against a local control plane of their own, which
# it starts when needed and stops again if it started it), or `all`. Prints one closing line
# "tests: N passed, N failed, N skipped" and fails when a test failed or an integration test
# was skipped (tests that need the control plane never skip silently).
# The integration tests get a local cluster of their own (.cluster-test/), so that a demo left
# running (its operator watches every namespace) or a benchmark's clean-up cannot disturb them,
# nor they the demo. MEDOPS_CLUSTER_DIR=.cluster runs them on the development cluster instead.
export MEDOPS_CLUSTER_DIR="${MEDOPS_CLUSTER_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cluster-test}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode="${1:-all}"
cd "$MEDOPS_ROOT"
results="$MEDOPS_ROOT/TestResults"
rm -rf "$results" && mkdir -p "$results"

UNIT_PROJECTS=(tests/MedOps.Runtime.Tests tests/MedOps.Operator.Tests tests/MedOps.NodeSimulator.Tests tests/MedOps.Api.Tests tests/MedOps.Controllers.Tests tests/MedOps.Cli.Tests tests/MedOps.ModelInitializer.Tests)
INTEGRATION_PROJECTS=(tests/MedOps.IntegrationTests)

run_tests() {
  local project="$1" name; name="$(basename "$project")"
  log "running $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" || true
}

log "building the solution"
dotnet build MedOps.sln -c Release --nologo -v quiet -clp:ErrorsOnly

started_cluster=0
if [[ "$mode" == all || "$mode" == unit ]]; then
  for p in "${UNIT_PROJECTS[@]}"; do run_tests "$p"; done
fi
if [[ "$mode" == all || "$mode" == integration ]]; then
  if [ ! -f "$CLUSTER_DIR/kubeconfig" ]; then started_cluster=1; fi
  "$MEDOPS_ROOT/hack/cluster-up.sh"
  for p in "${INTEGRATION_PROJECTS[@]}"; do run_tests "$p"; done
  if [ $started_cluster = 1 ] && [ -z "${MEDOPS_KEEP_CLUSTER:-}" ]; then "$MEDOPS_ROOT/hack/cluster-down.sh"; fi
fi

python3 "$MEDOPS_ROOT/hack/summarize-trx.py" "$results"
