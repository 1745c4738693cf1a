using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.TrainingJobs;

/// <summary>
/// TrainingJob end to end on the real control plane: the operator process, the real scheduler,
/// and the node simulator, which runs the workers and finishes them as their env says.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TrainingJobTests(LocalCluster cluster)
{
    [Fact]
    public async Task Four_workers_succeed_and_the_model_is_registered_and_serves_with_its_lineage()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-ok");
        await bed.ApplyOkAsync(bed.Job("cxr", workers: 4).With("spec.model", TrainingTestBed.Registration("chest-xray")));

        var job = await bed.WaitAsync("cxr", j => j.Status?.Phase == TrainingJobPhase.Succeeded && j.Status.Model == "chest-xray", "the job to succeed and register its model");
        var status = job.Status!;
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Succeeded));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.NotNull(status.CompletionTime);
        Assert.NotNull(status.StartTime);
        Assert.True(status.CompletionTime >= status.StartTime);
        Assert.Equal(1, status.Attempt);
        Assert.Equal(0, status.Restarts);
        Assert.Equal(4, status.Workers!.Succeeded);
        Assert.Equal($"pvc://{TrainingTestBed.OutputClaim}/chest-xray/1.5.0", status.OutputUri);

        var pods = await bed.PodsAsync("cxr");
        Assert.Equal(["cxr-worker-0", "cxr-worker-1", "cxr-worker-2", "cxr-worker-3"], pods.Select(p => p.Metadata.Name).Order());
        Assert.All(pods, p => Assert.Equal("1", p.Metadata.Labels["medops.io/attempt"]));
        Assert.All(pods, p => Assert.Equal("Succeeded", p.Status.Phase));
        // The last step ran after the workers: on simulated nodes the digest pod reports no
        // digest (the real node's tests see a computed one), which the job says in one Warning.
        var digestPod = await bed.DigestPodAsync("cxr");
        Assert.Equal(("cxr-output-digest", "Succeeded", "1"), (digestPod!.Metadata.Name, digestPod.Status.Phase, digestPod.Metadata.Labels["medops.io/attempt"]));
        Assert.True(digestPod.Status.ContainerStatuses.Single().State.Terminated.FinishedAt >= pods.Max(p => p.Status.ContainerStatuses.Single().State.Terminated.FinishedAt));
        Assert.Null(status.OutputDigest);
        Assert.Single(await bed.WaitForEventsAsync("cxr", "OutputDigestUnknown"));
        var worker2 = pods.Single(p => p.Metadata.Name == "cxr-worker-2");
        Assert.Equal("2", worker2.Spec.Containers[0].Env.Single(e => e.Name == "RANK").Value);
        Assert.Equal($"cxr-worker-0.cxr.{bed.Ns}.svc", worker2.Spec.Containers[0].Env.Single(e => e.Name == "MASTER_ADDR").Value);
        Assert.Equal("cxr", worker2.Spec.Subdomain);
        Assert.Equal("None", (await bed.Client.CoreV1.ReadNamespacedServiceAsync("cxr", bed.Ns)).Spec.ClusterIP);
        Assert.NotNull(await bed.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("cxr", bed.Ns));

        // The MedicalModel controller of the same operator serves the registered model.
        var model = await Eventually.WaitForAsync(() => bed.GetModelAsync("chest-xray"),
            m => m.Status?.Phase == MedicalModelPhase.Ready, TrainingTestBed.Timeout, "the registered model to be Ready");
        Assert.Equal("cxr", model.Spec.Source.TrainingJobRef!.Name);
        Assert.Equal("cxr", model.Metadata.Labels["medops.io/trained-by"]);
        Assert.Null(model.Metadata.OwnerReferences);
        Assert.Equal("cxr", model.Status!.Lineage!.TrainingJob);
        Assert.Equal(status.OutputUri, model.Status.ModelUri);
        Assert.NotEmpty(await bed.WaitForEventsAsync("cxr", "ModelRegistered"));
    }

    [Fact]
    public async Task A_worker_failing_on_attempt_1_restarts_the_job_once_with_fresh_pods_and_attempt_2_succeeds()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-restart");
        await bed.ApplyOkAsync(bed.Job("cxr", workers: 3, failRanks: "1", failAttempts: "1"));

        var job = await bed.WaitSucceededAsync("cxr");
        Assert.Equal(2, job.Status!.Attempt);
        Assert.Equal(1, job.Status.Restarts);
        var pods = await bed.PodsAsync("cxr");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("2", p.Metadata.Labels["medops.io/attempt"]));
        Assert.Single(await bed.WaitForEventsAsync("cxr", "Restarting"));
        Assert.NotEmpty(await bed.WaitForEventsAsync("cxr", "WorkerFailed"));
    }

    [Fact]
    public async Task Failures_beyond_the_backoff_limit_fail_the_job_and_leave_no_pods()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-backoff");
        await bed.ApplyOkAsync(bed.Job("cxr", workers: 2, failRanks: "0").With("spec.backoffLimit", "1"));

        var job = await bed.WaitFailedAsync("cxr", ConditionReasons.BackoffLimitExceeded);
        Assert.Equal(1, job.Status!.Restarts);
        Assert.Equal(2, job.Status.Attempt);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.True(Conditions.IsTrue(job.Status.Conditions, ConditionTypes.Stalled));
        await bed.WaitNoPodsAsync("cxr");
        // Finished for good: nothing comes back.
        // A failed job without TTL has no requeue (TidyFinishedJobAsync): only watch events, its pods' deletions among them, bring it back, each reconciled within a second: 3 s covers them.
        await Eventually.HoldsForAsync(async () => (await bed.AllPodsAsync("cxr")).Count == 0, TimeSpan.FromSeconds(3), "the failed job to stay without pods");
        Assert.Equal(1, (await bed.GetAsync("cxr")).Status!.Restarts);
    }

    [Fact]
    public async Task A_passed_deadline_deletes_the_workers_and_fails_the_job()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-deadline");
        await bed.ApplyOkAsync(bed.Job("cxr", runSeconds: 600).With("spec.activeDeadlineSeconds", "6"));

        await bed.WaitPhaseAsync("cxr", TrainingJobPhase.Running);
        var job = await bed.WaitFailedAsync("cxr", ConditionReasons.DeadlineExceeded);
        Assert.True(job.Status!.CompletionTime >= job.Status.StartTime!.Value.AddSeconds(6));
        await bed.WaitNoPodsAsync("cxr");
    }

    [Fact]
    public async Task Suspending_deletes_the_workers_and_resuming_starts_a_fresh_attempt()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-suspend");
        var manifest = bed.Job("cxr", runSeconds: 600);
        await bed.ApplyOkAsync(manifest);
        await bed.WaitPhaseAsync("cxr", TrainingJobPhase.Running);

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "true"));
        var suspended = await bed.WaitPhaseAsync("cxr", TrainingJobPhase.Suspended);
        Assert.True(Conditions.IsTrue(suspended.Status!.Conditions, ConditionTypes.Suspended));
        Assert.Equal("False", Conditions.Find(suspended.Status.Conditions, ConditionTypes.Ready)!.Status);
        await bed.WaitNoPodsAsync("cxr");

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "false"));
        var resumed = await bed.WaitAsync("cxr", j => j.Status?.Phase == TrainingJobPhase.Running && j.Status.Attempt == 2, "the job to run again as attempt 2");
        Assert.Equal(0, resumed.Status!.Restarts);
        var pods = await bed.PodsAsync("cxr");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal("2", p.Metadata.Labels["medops.io/attempt"]));
    }

    [Fact]
    public async Task The_ttl_deletes_the_finished_job_and_keeps_the_registered_model()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-ttl");
        await bed.ApplyOkAsync(bed.Job("cxr").With("spec.ttlSecondsAfterFinished", "3").With("spec.model", TrainingTestBed.Registration("chest-xray")));

        await bed.WaitAsync("cxr", j => j.Status?.Model == "chest-xray", "the job to register its model");
        await Eventually.WaitUntilAsync(async () => !await bed.JobExistsAsync("cxr"), TrainingTestBed.Timeout, "the job to be deleted by its TTL");
        var model = await bed.GetModelAsync("chest-xray");
        Assert.Equal("cxr", model.Metadata.Labels["medops.io/trained-by"]);
        await Eventually.WaitUntilAsync(async () => (await bed.AllPodsAsync("cxr")).Count == 0, TrainingTestBed.Timeout, "the workers and the output-digest pod to be garbage-collected");
    }

    [Fact]
    public async Task A_registered_model_keeps_serving_with_its_lineage_after_the_ttl_deletes_its_job()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-ttl-serve");
        await bed.ApplyOkAsync(bed.Job("cxr").With("spec.ttlSecondsAfterFinished", "3").With("spec.model", TrainingTestBed.Registration("chest-xray")));
        await bed.WaitAsync("cxr", j => j.Status?.Model == "chest-xray", "the job to register its model");
        await Eventually.WaitForAsync(() => bed.GetModelAsync("chest-xray"), m => m.Status?.Phase == MedicalModelPhase.Ready,
            TrainingTestBed.Timeout, "the registered model to be Ready");

        await Eventually.WaitUntilAsync(async () => !await bed.JobExistsAsync("cxr"), TrainingTestBed.Timeout, "the job to be deleted by its TTL");

        // The model controller sees the job go (its watch) and must keep serving what it produced.
        static bool Serving(V1Alpha1MedicalModel m) => m.Status?.Phase == MedicalModelPhase.Ready
            && Conditions.IsTrue(m.Status.Conditions, ConditionTypes.Ready) && Conditions.Find(m.Status.Conditions, ConditionTypes.Stalled) is null;
        // The job's delete event reaches the model controller (it watches TrainingJobs) and is reconciled within a second; the model has no requeue of its own: 5 s covers that reconcile.
        await Eventually.HoldsForAsync(async () => Serving(await bed.GetModelAsync("chest-xray")), TimeSpan.FromSeconds(5),
            "the registered model to stay Ready after its job is gone");
        var model = await bed.GetModelAsync("chest-xray");
        var outputUri = $"pvc://{TrainingTestBed.OutputClaim}/chest-xray/1.5.0";
        Assert.Equal(outputUri, model.Status!.ModelUri);
        Assert.Equal("cxr", model.Status.Lineage!.TrainingJob);
        Assert.Equal(TrainingTestBed.DatasetClaim, model.Status.Lineage.DatasetClaim);
        Assert.Equal(outputUri, model.Status.Lineage.OutputUri);
        Assert.Empty(await bed.ModelEventsAsync("chest-xray", "TrainingJobNotFound"));

        // A change to the model after its job is gone still rolls out from the recorded output.
        var patch = new V1Patch("""{"spec": {"replicas": 2}}""", V1Patch.PatchType.MergePatch);
        await bed.Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, GroupVersion.Group, GroupVersion.Version, bed.Ns, V1Alpha1MedicalModel.KubePluralName, "chest-xray");
        var scaled = await Eventually.WaitForAsync(() => bed.GetModelAsync("chest-xray"),
            m => m.Status?.ObservedGeneration == m.Metadata.Generation && m.Status?.ReadyReplicas == 2 && Serving(m),
            TrainingTestBed.Timeout, "the model to take a change after its job is gone");
        Assert.Equal(outputUri, scaled.Status!.ModelUri);
    }

    [Fact]
    public async Task Time_spent_suspended_does_not_count_towards_the_active_deadline()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-deadline-suspend");
        var manifest = bed.Job("cxr", runSeconds: 600).With("spec.activeDeadlineSeconds", "12");
        await bed.ApplyOkAsync(manifest);
        var running = await bed.WaitPhaseAsync("cxr", TrainingJobPhase.Running);
        var firstStart = running.Status!.StartTime!.Value;

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "true"));
        await bed.WaitPhaseAsync("cxr", TrainingJobPhase.Suspended);
        // Stay suspended past the deadline as counted from the first start.
        // 14 s = the 12 s activeDeadlineSeconds + 2 s margin: the old deadline has surely passed before the resume, and reconciles meanwhile check spec.suspend first (TrainingJobReconciler).
        var pastDeadline = firstStart.AddSeconds(14) - DateTime.UtcNow;
        if (pastDeadline > TimeSpan.Zero)
        {
            await Task.Delay(pastDeadline);
        }
        Assert.Equal(TrainingJobPhase.Suspended, (await bed.GetAsync("cxr")).Status!.Phase);

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "false"));
        var resumed = await bed.WaitAsync("cxr", j => j.Status?.Phase == TrainingJobPhase.Running && j.Status.Attempt == 2, "the resumed job to run as attempt 2");
        Assert.True(resumed.Status!.StartTime > firstStart.AddSeconds(12), $"startTime {resumed.Status.StartTime:u} was not reset on resume (first start {firstStart:u})");
        // The old deadline has passed: counted from it, the reconcile after the resume's own status write would fail the job within a second. 4 s covers it, well before the new one (resume + 12 s).
        await Eventually.HoldsForAsync(async () => (await bed.GetAsync("cxr")).Status?.Phase == TrainingJobPhase.Running, TimeSpan.FromSeconds(4),
            "the resumed job to keep running (its deadline counts from the resume)");
        Assert.Empty(await bed.EventsAsync("cxr", ConditionReasons.DeadlineExceeded));

        // The deadline still holds, counted from the resume.
        var failed = await bed.WaitFailedAsync("cxr", ConditionReasons.DeadlineExceeded);
        Assert.True(failed.Status!.CompletionTime >= resumed.Status.StartTime!.Value.AddSeconds(12));
    }

    [Fact]
    public async Task Gpu_workers_land_only_on_gpu_nodes_with_a_matching_product()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-gpu");
        await bed.ApplyOkAsync(bed.Job("cxr", workers: 2, runSeconds: 2)
            .With("spec.resources", """{"cpu": "1", "memory": "1Gi", "gpu": {"count": 1, "products": ["Tesla-T4"]}}"""));

        await bed.WaitSucceededAsync("cxr");
        foreach (var pod in await bed.PodsAsync("cxr"))
        {
            var node = await bed.Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
            Assert.Equal("Tesla-T4", node.Metadata.Labels["nvidia.com/gpu.product"]);
            Assert.Equal("1", pod.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        }
    }

    [Fact]
    public async Task A_missing_claim_stalls_the_job_and_it_heals_when_the_claims_appear()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-claim", claims: false);
        await bed.ApplyOkAsync(bed.Job("cxr"));

        var stalled = await bed.WaitAsync("cxr", j => Conditions.Find(j.Status?.Conditions, ConditionTypes.Stalled) is { Status: "True", Reason: "DatasetClaimNotFound" },
            "the job to be Stalled with DatasetClaimNotFound");
        Assert.Equal("DatasetClaimNotFound", Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Null(stalled.Status.Attempt);
        Assert.Empty(await bed.PodsAsync("cxr"));
        Assert.Single(await bed.WaitForEventsAsync("cxr", "DatasetClaimNotFound"));

        await bed.CreateClaimsAsync();
        var job = await bed.WaitSucceededAsync("cxr");
        Assert.Null(Conditions.Find(job.Status!.Conditions, ConditionTypes.Stalled));
        Assert.Equal(1, job.Status.Attempt);
    }

    [Fact]
    public async Task After_a_crash_between_two_worker_creations_there_is_exactly_one_pod_per_rank()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "tj-crash", startOperator: false);
        await bed.ApplyOkAsync(bed.Job("cxr", workers: 3, runSeconds: 2));
        var job = await bed.GetAsync("cxr");
        // What the operator had done when it died: attempt 1 persisted, worker 0 created.
        var start = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await bed.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch($$$"""{"status": {"phase": "Pending", "attempt": 1, "restarts": 0, "startTime": "{{{start}}}"}}""", V1Patch.PatchType.MergePatch),
            GroupVersion.Group, GroupVersion.Version, bed.Ns, V1Alpha1TrainingJob.KubePluralName, "cxr");
        var survivor = await bed.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "cxr-worker-0",
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/managed-by"] = "medops-operator",
                    ["app.kubernetes.io/part-of"] = "medops",
                    ["app.kubernetes.io/component"] = "training",
                    ["medops.io/trainingjob"] = "cxr",
                    ["medops.io/attempt"] = "1",
                },
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "medops.io/v1alpha1", Kind = "TrainingJob", Name = "cxr", Uid = job.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
                ],
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers =
                [
                    new V1Container
                    {
                        Name = "worker",
                        Image = "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
                        Env = [new V1EnvVar { Name = "RANK", Value = "0" }, new V1EnvVar { Name = "MEDOPS_SIM_EXIT_CODE", Value = "0" }, new V1EnvVar { Name = "MEDOPS_SIM_RUN_SECONDS", Value = "2" }],
                    },
                ],
            },
        }, bed.Ns);

        await bed.StartOperatorAsync();
        var done = await bed.WaitSucceededAsync("cxr");
        Assert.Equal(1, done.Status!.Attempt);
        Assert.Equal(0, done.Status.Restarts);
        var pods = await bed.PodsAsync("cxr");
        Assert.Equal(["cxr-worker-0", "cxr-worker-1", "cxr-worker-2"], pods.Select(p => p.Metadata.Name).Order());
        Assert.All(pods, p => Assert.Equal("1", p.Metadata.Labels["medops.io/attempt"]));
        Assert.Equal(survivor.Metadata.Uid, pods.Single(p => p.Metadata.Name == "cxr-worker-0").Metadata.Uid);
    }
}
