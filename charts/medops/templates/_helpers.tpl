{{/* The chart name, overridable with nameOverride. */}}
{{- define "medops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: fullnameOverride, else the release name when it already
contains the chart name (release "medops" gives "medops"), else "<release>-<chart>".
*/}}
{{- define "medops.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The operator's objects: "<fullname>-operator" (release "medops" gives "medops-operator"). */}}
{{- define "medops.operatorName" -}}
{{- printf "%s-operator" (include "medops.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "medops.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object of the release. */}}
{{- define "medops.labels" -}}
helm.sh/chart: {{ include "medops.chart" . }}
app.kubernetes.io/name: {{ include "medops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: medops
{{- end }}

{{/* Selector of the operator pods: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "medops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "medops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "medops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "medops.operatorName" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Lease name is fixed in the operator (api.md): one MedOps release per namespace. */}}
{{- define "medops.leaseName" -}}medops-operator{{- end }}

{{- define "medops.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Fails rendering on combinations the schema cannot express. */}}
{{- define "medops.validate" -}}
{{- if and .Values.rbac.namespaced (not .Values.watchNamespace) }}
{{- fail "rbac.namespaced=true needs watchNamespace: the operator can then only see that namespace" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled=true: otherwise every replica reconciles" }}
{{- end }}
{{- if and .Values.webhook.enabled .Values.watchNamespace (eq .Values.watchNamespace .Release.Namespace) }}
{{- fail "webhook.enabled with watchNamespace equal to the release namespace: the webhook never checks the release namespace, so nothing would be checked; watch another namespace or set webhook.enabled=false" }}
{{- end }}
{{- end }}

{{/*
The operator's RBAC rules on namespaced kinds: exactly the calls the controllers and the runtime
make (see the chart README's table). Informers LIST and WATCH; children are written with
server-side apply, which needs PATCH and, when the apply creates the object, also CREATE (the
API server authorizes that create separately: verified by the chart's end-to-end test); events are
created and then patched when repeated. No GET, since every read is served from the informers'
caches, except on trainingjobs and persistentvolumeclaims: the admission webhook reads the ones a
request names directly (LIST already shows as much, so GET reveals nothing more).
*/}}
{{- define "medops.namespacedRules" -}}
# The three MedOps kinds: watched; status written through the status subresource.
- apiGroups: [medops.io]
  resources: [medicalmodels]
  # create, patch: a succeeded TrainingJob registers its model by server-side apply.
  # get: the admission webhook (a ModelApproval must name the model's current version and digest).
  verbs: [get, list, watch, create, patch]
- apiGroups: [medops.io]
  resources: [trainingjobs]
  # delete: spec.ttlSecondsAfterFinished. get: the admission webhook (a model trained by this job).
  verbs: [get, list, watch, delete]
- apiGroups: [medops.io]
  resources: [workspaces]
  # patch: the finalizer of retained and held workspaces, and spec.running when the lifecycle
  # stops (or starts) a workspace on its schedule.
  verbs: [list, watch, patch]
# Clinical models serve only versions approved by a ModelApproval.
- apiGroups: [medops.io]
  resources: [modelapprovals]
  verbs: [list, watch]
- apiGroups: [medops.io]
  resources: [medicalmodels/status, trainingjobs/status, workspaces/status]
  verbs: [patch]
# Children carry blockOwnerDeletion owner references to their CR; clusters with the
# OwnerReferencesPermissionEnforcement admission plugin require update on the owner's finalizers.
- apiGroups: [medops.io]
  resources: [medicalmodels/finalizers, trainingjobs/finalizers, workspaces/finalizers]
  verbs: [update]
# MedicalModel children (Deployment, Service) and the TrainingJob's headless Service: applied, never deleted
# (their owner reference lets the garbage collector remove them with the CR).
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch]
- apiGroups: [""]
  resources: [services]
  verbs: [list, watch, create, patch]
# HPA and PDB come and go with spec.autoscaling / the replica floor; the version is chosen by discovery.
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, patch, delete]
# PHI / LimitedDataSet confinement of models, training and workspaces.
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [list, watch, create, patch, delete]
# TrainingJob workers: one pod per worker per attempt, created and deleted by the controller.
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch, create, delete]
# Claim checks (TrainingJob dataset and output volumes, MedicalModel pvc:// sources): read only.
# get: the admission webhook checks a claim's StorageClass against config.guardrails.phiStorageClasses.
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  # patch: a Workspace's root disk claim grows with spec.disk.size, and a retained disk's claim is
  # detached from its DataVolume (and labelled) when its workspace is deleted.
  verbs: [get, list, watch, patch]
# Event recorder: creates, then patches the count of a repeated event.
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
# Workspace: the KubeVirt VirtualMachine is applied (never deleted: its owner reference does that);
# its DataVolumes are only watched.
- apiGroups: [kubevirt.io]
  resources: [virtualmachines]
  verbs: [list, watch, create, patch]
- apiGroups: [cdi.kubevirt.io]
  resources: [datavolumes]
  verbs: [list, watch]
# The guest agent's user list of a running VMI (virtctl userlist), for spec.lifecycle.idleTimeout.
- apiGroups: [subresources.kubevirt.io]
  resources: [virtualmachineinstances/userlist]
  verbs: [get]
{{- end }}
