-- Cases for MedicalModel/health.lua, run by ../../test_runner.lua. Statuses are written as the
-- operator writes them (MedicalModelStatusBuilder): same reasons, same messages.
local t = ...
local C, R = t.condition, t.resource

local function model(generation, status)
  return R("MedicalModel", generation, status)
end

return {
  {
    name = "no status yet",
    input = model(1, nil),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 1" },
  },
  {
    name = "status without observedGeneration",
    input = model(1, { phase = "Pending" }),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 1" },
  },
  {
    name = "stale observedGeneration (spec edited, Ready still from the last generation)",
    input = model(3, {
      observedGeneration = 2, phase = "Ready",
      conditions = { C("Ready", "True", "Serving", "2/2 replicas ready", 2) },
    }),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 3" },
  },
  {
    name = "Ready condition older than status.observedGeneration",
    input = model(3, {
      observedGeneration = 3, phase = "Ready",
      conditions = { C("Ready", "True", "Serving", "2/2 replicas ready", 2) },
    }),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 3" },
  },
  {
    name = "no generation at all (object as a client built it)",
    input = model(nil, nil),
    expected = { status = "Progressing", message = "waiting for the operator to observe the resource" },
  },
  {
    name = "being deleted",
    input = (function()
      local o = model(2, { observedGeneration = 2, phase = "Ready", conditions = { C("Ready", "True", "Serving", "1/1 replicas ready", 2) } })
      o.metadata.deletionTimestamp = "2025-01-01T00:00:00Z"
      return o
    end)(),
    expected = { status = "Progressing", message = "being deleted" },
  },
  {
    name = "Clinical: the new version waits for approval while the approved one serves (waiting, not failed)",
    input = model(2, {
      observedGeneration = 2, phase = "AwaitingApproval",
      conditions = {
        C("Ready", "False", "AwaitingApproval", "version 1.0.0 (approved by bob) keeps serving; version 1.1.0 (sha256:bb) waits for a ModelApproval by a second person", 2),
        C("Reconciling", "True", "AwaitingApproval", "version 1.0.0 (approved by bob) keeps serving; version 1.1.0 (sha256:bb) waits for a ModelApproval by a second person", 2),
        C("Available", "True", "MinimumReplicasAvailable", "1 replicas ready", 2),
      },
    }),
    expected = { status = "Progressing", message = "version 1.0.0 (approved by bob) keeps serving; version 1.1.0 (sha256:bb) waits for a ModelApproval by a second person" },
  },
  {
    name = "Clinical: the approval was revoked (scaled to zero, waiting for a new approval)",
    input = model(1, {
      observedGeneration = 1, phase = "AwaitingApproval",
      conditions = {
        C("Ready", "False", "ApprovalRevoked", "ModelApproval m-v1 of version 1.0.0 was deleted: scaled to zero", 1),
        C("Reconciling", "True", "ApprovalRevoked", "ModelApproval m-v1 of version 1.0.0 was deleted: scaled to zero", 1),
      },
    }),
    expected = { status = "Progressing", message = "ModelApproval m-v1 of version 1.0.0 was deleted: scaled to zero" },
  },
  {
    name = "observed, no conditions yet",
    input = model(1, { observedGeneration = 1, phase = "Deploying" }),
    expected = { status = "Progressing", message = "phase Deploying" },
  },
  {
    name = "Pending: waiting for the training job",
    input = model(1, {
      observedGeneration = 1, phase = "Pending",
      conditions = {
        C("Ready", "False", "WaitingForTrainingJob", "waiting for TrainingJob chest-xray-train to succeed", 1),
        C("Reconciling", "True", "WaitingForTrainingJob", "waiting for TrainingJob chest-xray-train to succeed", 1),
        C("Available", "False", "NoReplicasAvailable", "no replica is ready", 1),
      },
    }),
    expected = { status = "Progressing", message = "waiting for TrainingJob chest-xray-train to succeed" },
  },
  {
    name = "Deploying",
    input = model(1, {
      observedGeneration = 1, phase = "Deploying", replicas = 2, readyReplicas = 0,
      conditions = {
        C("Ready", "False", "Deploying", "0/2 replicas ready, 2 up to date", 1),
        C("Reconciling", "True", "Deploying", "0/2 replicas ready, 2 up to date", 1),
        C("Available", "False", "NoReplicasAvailable", "no replica is ready", 1),
      },
    }),
    expected = { status = "Progressing", message = "0/2 replicas ready, 2 up to date" },
  },
  {
    name = "Ready: serving",
    input = model(2, {
      observedGeneration = 2, phase = "Ready", replicas = 2, readyReplicas = 2,
      endpoint = "http://chest-xray.radiology.svc:8000",
      conditions = {
        C("Ready", "True", "Serving", "2/2 replicas ready", 2),
        C("Available", "True", "MinimumReplicasAvailable", "2 replicas ready", 2),
      },
    }),
    expected = { status = "Healthy", message = "2/2 replicas ready" },
  },
  {
    name = "Ready, with a healed Stalled=False left behind",
    input = model(2, {
      observedGeneration = 2, phase = "Ready",
      conditions = {
        C("Ready", "True", "Serving", "1/1 replicas ready", 2),
        C("Stalled", "False", "InvalidSource", "fixed", 2),
      },
    }),
    expected = { status = "Healthy", message = "1/1 replicas ready" },
  },
  {
    name = "Degraded: a replica lost after being Ready",
    input = model(1, {
      observedGeneration = 1, phase = "Degraded", replicas = 2, readyReplicas = 1,
      conditions = {
        C("Ready", "False", "ReplicasUnavailable", "only 1/2 replicas ready", 1),
        C("Reconciling", "True", "ReplicasUnavailable", "only 1/2 replicas ready", 1),
        C("Available", "True", "MinimumReplicasAvailable", "1 replicas ready", 1),
      },
    }),
    expected = { status = "Degraded", message = "ReplicasUnavailable: only 1/2 replicas ready" },
  },
  {
    name = "Failed: rollout past its progress deadline (not Stalled)",
    input = model(1, {
      observedGeneration = 1, phase = "Failed",
      conditions = {
        C("Ready", "False", "ProgressDeadlineExceeded", "the model server rollout made no progress: ReplicaSet \"chest-xray-7d9\" has timed out progressing.", 1),
        C("Available", "False", "NoReplicasAvailable", "no replica is ready", 1),
      },
    }),
    expected = { status = "Degraded", message = "ProgressDeadlineExceeded: the model server rollout made no progress: ReplicaSet \"chest-xray-7d9\" has timed out progressing." },
  },
  {
    name = "Stalled: invalid spec",
    input = model(4, {
      observedGeneration = 4, phase = "Failed",
      conditions = {
        C("Ready", "False", "InvalidSource", "spec.source needs exactly one of uri and trainingJobRef", 4),
        C("Stalled", "True", "InvalidSource", "spec.source needs exactly one of uri and trainingJobRef", 4),
        C("Available", "False", "NoReplicasAvailable", "no replica is ready", 4),
      },
    }),
    expected = { status = "Degraded", message = "InvalidSource: spec.source needs exactly one of uri and trainingJobRef" },
  },
  {
    name = "Suspending: still scaling to zero",
    input = model(2, {
      observedGeneration = 2, phase = "Deploying", replicas = 1,
      conditions = {
        C("Ready", "False", "Suspending", "scaling to zero (1 replicas left)", 2),
        C("Reconciling", "True", "Suspending", "scaling to zero (1 replicas left)", 2),
      },
    }),
    expected = { status = "Progressing", message = "scaling to zero (1 replicas left)" },
  },
  {
    name = "Suspended: scaled to zero on purpose",
    input = model(2, {
      observedGeneration = 2, phase = "Suspended", replicas = 0, readyReplicas = 0,
      conditions = {
        C("Ready", "True", "Suspended", "suspended: scaled to zero, GPUs released", 2),
        C("Available", "False", "NoReplicasAvailable", "no replica is ready", 2),
      },
    }),
    expected = { status = "Suspended", message = "suspended: scaled to zero, GPUs released" },
  },
}
