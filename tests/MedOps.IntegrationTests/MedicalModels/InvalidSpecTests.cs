using System.Text.Json.Nodes;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.MedicalModels;

/// <summary>
/// Bad input gets a clear error: what the schema can express is rejected at admission, the rest
/// shows as Stalled with a specific reason and one Warning event; none of it disturbs a valid
/// model reconciled alongside.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InvalidSpecTests(LocalCluster cluster)
{
    /// <summary>One invalid spec: how to break the minimal model, and what must happen.</summary>
    public sealed record Case(string Name, Func<JsonObject, JsonObject> Break, string? RejectedField = null, string? StalledReason = null);

    private static readonly Case[] Cases =
    [
        new("bad-modality", m => m.With("spec.modality", "\"Xray\""), RejectedField: "modality"),
        new("bad-class", m => m.With("spec.dataClassification", "\"Secret\""), RejectedField: "dataClassification"),
        new("bad-usage", m => m.With("spec.usage", "\"Production\""), RejectedField: "usage"),
        new("bad-format", m => m.With("spec.format", "\"Pickle\""), RejectedField: "format"),
        new("negative-gpus", m => m.With("spec.resources.gpu", """{"count": -1}"""), RejectedField: "count"),
        new("negative-replicas", m => m.With("spec.replicas", "-1"), RejectedField: "replicas"),
        new("zero-replicas", m => m.With("spec.replicas", "0"), RejectedField: "replicas"),
        new("bad-digest", m => m.With("spec.source.digest", "\"md5:abc\""), RejectedField: "digest"),
        new("bad-port", m => m.With("spec.runtime.port", "70000"), RejectedField: "port"),
        new("no-image", m => m.With("spec.runtime.image", null), RejectedField: "image"),
        new("no-modality", m => m.With("spec.modality", null), RejectedField: "modality"),
        new("zero-max", m => m.With("spec.autoscaling", """{"maxReplicas": 0}"""), RejectedField: "maxReplicas"),
        new("bad-cpu", m => m.With("spec.resources.cpu", "\"lots\""), RejectedField: "cpu"),
        new("no-source", m => m.With("spec.source", "{}"), StalledReason: "InvalidSource"),
        new("two-sources", m => m.With("spec.source.trainingJobRef", """{"name": "some-job"}"""), StalledReason: "InvalidSource"),
        new("min-above-max", m => m.With("spec.autoscaling", """{"minReplicas": 5, "maxReplicas": 2}"""), StalledReason: "InvalidAutoscaling"),
        new("missing-job", m => m.With("spec.source", """{"trainingJobRef": {"name": "no-such-job"}}"""), StalledReason: "TrainingJobNotFound"),
        new("missing-claim", m => m.With("spec.source", """{"uri": "pvc://no-such-claim/notes/2.1.0"}"""), StalledReason: "ModelClaimNotFound"),
        new("1-digit-first", m => m, StalledReason: "InvalidName"),
    ];

    [Fact]
    public async Task Each_invalid_spec_is_rejected_at_admission_or_stalled_with_its_reason_and_a_valid_model_alongside_is_untouched()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-invalid");
        await bed.ApplyOkAsync(bed.CpuModel("good"));
        var good = await bed.WaitReadyAsync("good");

        var stalled = new List<Case>();
        foreach (var c in Cases)
        {
            var manifest = c.Break(bed.CpuModel(c.Name));
            var result = await bed.ApplyAsync(manifest);
            if (c.RejectedField is { } field)
            {
                Assert.True(result.ExitCode != 0, $"{c.Name}: expected admission to reject it, but apply succeeded");
                Assert.Contains(field, result.StandardError, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(result.ExitCode == 0, $"{c.Name}: expected admission to accept it (the controller judges it): {result.Output}");
                stalled.Add(c);
            }
        }
        Assert.True(Cases.Length >= 15);

        foreach (var c in stalled)
        {
            var model = await bed.WaitStalledAsync(c.Name, c.StalledReason!);
            Assert.Equal(MedicalModelPhase.Failed, model.Status!.Phase);
            Assert.False(string.IsNullOrEmpty(Conditions.Find(model.Status.Conditions, ConditionTypes.Stalled)!.Message));
            await Eventually.WaitUntilAsync(async () => (await bed.EventsAsync(c.Name, c.StalledReason!)).Count == 1,
                TimeSpan.FromSeconds(10), $"one Warning event {c.StalledReason} for {c.Name}");
            Assert.All(await bed.EventsAsync(c.Name, c.StalledReason!), e => Assert.Equal("Warning", e.Type));
        }

        // The valid model is still Ready and still reconciled promptly: a change reaches it.
        var stillGood = await bed.GetAsync("good");
        Assert.Equal(good.Metadata.Generation, stillGood.Status!.ObservedGeneration);
        Assert.Equal(MedicalModelPhase.Ready, stillGood.Status.Phase);
        await bed.ApplyOkAsync(bed.CpuModel("good").With("spec.version", "\"9.9.9\""));
        await bed.WaitAsync("good", m => m.Metadata.Generation > good.Metadata.Generation && m.Status?.ObservedGeneration == m.Metadata.Generation
            && m.Status.Phase == MedicalModelPhase.Ready, "the valid model to take a new version", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_stalled_model_heals_when_its_spec_is_fixed()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-heal");
        await bed.ApplyOkAsync(bed.CpuModel("notes").With("spec.autoscaling", """{"minReplicas": 5, "maxReplicas": 2}"""));
        await bed.WaitStalledAsync("notes", "InvalidAutoscaling");

        await bed.ApplyOkAsync(bed.CpuModel("notes").With("spec.autoscaling", """{"minReplicas": 1, "maxReplicas": 2}"""));
        var healed = await bed.WaitReadyAsync("notes");
        Assert.Null(Conditions.Find(healed.Status!.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public async Task A_model_referencing_a_missing_job_heals_when_the_job_is_created()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-heal-job");
        await bed.ApplyOkAsync(bed.CpuModel("trained").With("spec.source", """{"trainingJobRef": {"name": "late"}}"""));
        await bed.WaitStalledAsync("trained", "TrainingJobNotFound");

        await MedOpsCrds.KubectlOnManifestAsync(cluster, Manifests.MinimalTrainingJob("late", bed.Ns).ToJsonString(), "apply");
        await bed.WaitAsync("trained", m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == ConditionReasons.WaitingForTrainingJob
            && Conditions.Find(m.Status?.Conditions, ConditionTypes.Stalled) is null, "the model to stop being stalled and wait for the job");
    }

    [Fact]
    public async Task A_model_on_a_missing_claim_is_stalled_naming_the_claim_and_serves_once_the_claim_is_created()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-heal-claim");
        await bed.ApplyOkAsync(bed.CpuModel("notes").With("spec.source", """{"uri": "pvc://late-models/notes/2.1.0"}"""));

        var stalled = await bed.WaitStalledAsync("notes", "ModelClaimNotFound");
        var message = Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Stalled)!.Message;
        Assert.Contains("PersistentVolumeClaim late-models", message, StringComparison.Ordinal);
        Assert.Contains(bed.Ns, message, StringComparison.Ordinal);
        Assert.Equal(MedicalModelPhase.Failed, stalled.Status.Phase);
        // Stalled at once, not after the Deployment's progress deadline: no server pod was made.
        Assert.Empty(await bed.PodsAsync("notes"));
        await Eventually.WaitUntilAsync(async () => (await bed.EventsAsync("notes", "ModelClaimNotFound")).Count == 1,
            TimeSpan.FromSeconds(10), "one Warning event ModelClaimNotFound");

        var claim = await MedOpsCrds.KubectlOnManifestAsync(cluster, """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: late-models}
            spec:
              accessModes: [ReadOnlyMany]
              resources: {requests: {storage: 1Gi}}
            """, "apply", "-n", bed.Ns);
        Assert.True(claim.ExitCode == 0, claim.Output);
        var healed = await bed.WaitReadyAsync("notes");
        Assert.Null(Conditions.Find(healed.Status!.Conditions, ConditionTypes.Stalled));
        var deployment = await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("notes", bed.Ns);
        Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "late-models");
    }
}
