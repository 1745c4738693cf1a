#!/usr/bin/env bash
# Lets a Helm release take over MedOps CRDs that already exist (installed with
# `kubectl apply -f crds/`, or kept by an uninstalled release under another name). Helm refuses to
# manage an existing object without its ownership metadata ("invalid ownership metadata"); this
# adds exactly that metadata, which is Helm's documented way to adopt objects. CRDs that do not
# exist are left to `helm install`.
#
#   hack/adopt-crds.sh <release> <release-namespace>      (uses $KUBECONFIG)
set -euo pipefail
release="${1:?usage: hack/adopt-crds.sh <release> <release-namespace>}"
namespace="${2:?usage: hack/adopt-crds.sh <release> <release-namespace>}"
kubectl="${KUBECTL:-kubectl}"
for crd in medicalmodels.medops.io modelapprovals.medops.io trainingjobs.medops.io workspaces.medops.io; do
  if [ -n "$("$kubectl" get crd "$crd" --ignore-not-found -o name)" ]; then
    "$kubectl" label crd "$crd" --overwrite app.kubernetes.io/managed-by=Helm >/dev/null
    "$kubectl" annotate crd "$crd" --overwrite "meta.helm.sh/release-name=$release" "meta.helm.sh/release-namespace=$namespace" >/dev/null
  fi
done
