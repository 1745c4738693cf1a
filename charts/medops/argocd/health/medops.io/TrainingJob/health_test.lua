-- Cases for TrainingJob/health.lua, run by ../../test_runner.lua. Statuses are written as the
-- operator writes them (TrainingJobStatusBuilder and the reconciler): same reasons and messages.
local t = ...
local C, R = t.condition, t.resource

local function job(generation, status)
  return R("TrainingJob", generation, status)
end

return {
  {
    name = "no status yet",
    input = job(1, nil),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 1" },
  },
  {
    name = "stale observedGeneration (suspend set, not yet observed)",
    input = job(2, {
      observedGeneration = 1, phase = "Running",
      conditions = { C("Ready", "False", "WorkersRunning", "2/2 workers running (attempt 1)", 1) },
    }),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 2" },
  },
  {
    name = "Pending: first attempt starting",
    input = job(1, {
      observedGeneration = 1, phase = "Pending", attempt = 1, restarts = 0,
      conditions = {
        C("Ready", "False", "WorkersPending", "attempt 1 started: creating 2 workers", 1),
        C("Reconciling", "True", "WorkersPending", "attempt 1 started: creating 2 workers", 1),
        C("Running", "False", "WorkersPending", "attempt 1 started: creating 2 workers", 1),
      },
    }),
    expected = { status = "Progressing", message = "attempt 1 started: creating 2 workers" },
  },
  {
    name = "Running",
    input = job(1, {
      observedGeneration = 1, phase = "Running", attempt = 1, restarts = 0,
      workers = { active = 2, succeeded = 0, failed = 0 },
      conditions = {
        C("Ready", "False", "WorkersRunning", "2/2 workers running (attempt 1)", 1),
        C("Reconciling", "True", "WorkersRunning", "2/2 workers running (attempt 1)", 1),
        C("Running", "True", "WorkersRunning", "2/2 workers running (attempt 1)", 1),
      },
    }),
    expected = { status = "Progressing", message = "2/2 workers running (attempt 1)" },
  },
  {
    name = "Restarting after a worker failed",
    input = job(1, {
      observedGeneration = 1, phase = "Restarting", attempt = 2, restarts = 1,
      conditions = {
        C("Ready", "False", "Restarting", "worker 1 of attempt 1 failed; restarting all workers as attempt 2 (restart 1 of 3)", 1),
        C("Reconciling", "True", "Restarting", "worker 1 of attempt 1 failed; restarting all workers as attempt 2 (restart 1 of 3)", 1),
        C("Running", "False", "Restarting", "worker 1 of attempt 1 failed; restarting all workers as attempt 2 (restart 1 of 3)", 1),
      },
    }),
    expected = { status = "Progressing", message = "worker 1 of attempt 1 failed; restarting all workers as attempt 2 (restart 1 of 3)" },
  },
  {
    name = "Succeeded, model registered",
    input = job(1, {
      observedGeneration = 1, phase = "Succeeded", attempt = 1, restarts = 0,
      outputUri = "pvc://models/chest-xray/1.5.0", model = "chest-xray-trained",
      conditions = {
        C("Ready", "True", "Succeeded", "all 2 workers of attempt 1 succeeded; the model is at pvc://models/chest-xray/1.5.0", 1),
        C("Running", "False", "Succeeded", "all 2 workers of attempt 1 succeeded; the model is at pvc://models/chest-xray/1.5.0", 1),
        C("Succeeded", "True", "Succeeded", "all 2 workers of attempt 1 succeeded; the model is at pvc://models/chest-xray/1.5.0", 1),
      },
    }),
    expected = { status = "Healthy", message = "all 2 workers of attempt 1 succeeded; the model is at pvc://models/chest-xray/1.5.0; registered MedicalModel chest-xray-trained" },
  },
  {
    name = "Succeeded, no model to register",
    input = job(1, {
      observedGeneration = 1, phase = "Succeeded",
      conditions = {
        C("Ready", "True", "Succeeded", "all 1 workers of attempt 1 succeeded; the model is at pvc://models/x", 1),
        C("Succeeded", "True", "Succeeded", "all 1 workers of attempt 1 succeeded; the model is at pvc://models/x", 1),
      },
    }),
    expected = { status = "Healthy", message = "all 1 workers of attempt 1 succeeded; the model is at pvc://models/x" },
  },
  {
    name = "Failed: backoff limit exceeded (Stalled)",
    input = job(1, {
      observedGeneration = 1, phase = "Failed", attempt = 4, restarts = 3,
      conditions = {
        C("Ready", "False", "BackoffLimitExceeded", "worker 0 of attempt 4 failed and the 3 restarts of spec.backoffLimit are used up", 1),
        C("Stalled", "True", "BackoffLimitExceeded", "worker 0 of attempt 4 failed and the 3 restarts of spec.backoffLimit are used up", 1),
        C("Running", "False", "BackoffLimitExceeded", "worker 0 of attempt 4 failed and the 3 restarts of spec.backoffLimit are used up", 1),
        C("Failed", "True", "BackoffLimitExceeded", "worker 0 of attempt 4 failed and the 3 restarts of spec.backoffLimit are used up", 1),
      },
    }),
    expected = { status = "Degraded", message = "BackoffLimitExceeded: worker 0 of attempt 4 failed and the 3 restarts of spec.backoffLimit are used up" },
  },
  {
    name = "Failed without Stalled (the Failed condition explains)",
    input = job(1, {
      observedGeneration = 1, phase = "Failed",
      conditions = {
        C("Ready", "False", "DeadlineExceeded", "the job ran longer than spec.activeDeadlineSeconds (60s since 2025-01-01 00:00:00Z); its workers were deleted", 1),
        C("Failed", "True", "DeadlineExceeded", "the job ran longer than spec.activeDeadlineSeconds (60s since 2025-01-01 00:00:00Z); its workers were deleted", 1),
      },
    }),
    expected = { status = "Degraded", message = "DeadlineExceeded: the job ran longer than spec.activeDeadlineSeconds (60s since 2025-01-01 00:00:00Z); its workers were deleted" },
  },
  {
    name = "Stalled while Pending: the dataset claim is missing",
    input = job(1, {
      observedGeneration = 1, phase = "Pending",
      conditions = {
        C("Ready", "False", "DatasetClaimNotFound", "spec.dataset.claimName names PersistentVolumeClaim cxr-2024, which does not exist in namespace radiology: create it or fix the name", 1),
        C("Stalled", "True", "DatasetClaimNotFound", "spec.dataset.claimName names PersistentVolumeClaim cxr-2024, which does not exist in namespace radiology: create it or fix the name", 1),
        C("Running", "False", "DatasetClaimNotFound", "spec.dataset.claimName names PersistentVolumeClaim cxr-2024, which does not exist in namespace radiology: create it or fix the name", 1),
      },
    }),
    expected = { status = "Degraded", message = "DatasetClaimNotFound: spec.dataset.claimName names PersistentVolumeClaim cxr-2024, which does not exist in namespace radiology: create it or fix the name" },
  },
  {
    name = "Suspended on purpose",
    input = job(2, {
      observedGeneration = 2, phase = "Suspended", attempt = 1,
      conditions = {
        C("Ready", "False", "Suspended", "spec.suspend is true: no workers run; setting it to false starts a fresh attempt", 2),
        C("Running", "False", "Suspended", "spec.suspend is true: no workers run; setting it to false starts a fresh attempt", 2),
        C("Suspended", "True", "Suspended", "spec.suspend is true: no workers run; setting it to false starts a fresh attempt", 2),
      },
    }),
    expected = { status = "Suspended", message = "spec.suspend is true: no workers run; setting it to false starts a fresh attempt" },
  },
  {
    name = "resumed: Suspended=False stays, a fresh attempt is pending",
    input = job(3, {
      observedGeneration = 3, phase = "Pending", attempt = 2,
      conditions = {
        C("Ready", "False", "WorkersPending", "attempt 2 resumed: creating 2 workers", 3),
        C("Reconciling", "True", "WorkersPending", "attempt 2 resumed: creating 2 workers", 3),
        C("Running", "False", "WorkersPending", "attempt 2 resumed: creating 2 workers", 3),
        C("Suspended", "False", "Resumed", "spec.suspend is false: the workers run again", 3),
      },
    }),
    expected = { status = "Progressing", message = "attempt 2 resumed: creating 2 workers" },
  },
  {
    name = "observed, no conditions yet",
    input = job(1, { observedGeneration = 1, phase = "Pending" }),
    expected = { status = "Progressing", message = "phase Pending" },
  },
}
