using System.Text.Json;
using MedOps.Testing;

namespace MedOps.IntegrationTests.GitOps;

/// <summary>
/// What GitOps tools see on the real control plane, with the real operator and the repository's
/// samples: kstatus-compatible conditions (<c>kubectl wait --for=condition=Ready</c>), the Argo CD
/// health checks on the objects the operator really writes, and no perpetual diffs from a second
/// server-side apply.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KstatusTests(LocalCluster cluster)
{
    private static readonly string[] Samples =
        ["storage.yaml", "medicalmodel-cpu-text.yaml", "medicalmodel-gpu-imaging.yaml", "trainingjob.yaml", "workspace.yaml"];

    private static readonly string[] CustomResources =
        ["medicalmodel/notes-classifier", "medicalmodel/chest-xray", "trainingjob/chest-xray-train", "workspace/dr-smith"];

    [Fact]
    public async Task Kubectl_wait_for_Ready_works_for_all_three_kinds_and_the_Argo_CD_health_checks_agree()
    {
        await using var bed = await SamplesTestBed.StartAsync(cluster, "gitops-wait");
        await bed.ApplyOkAsync("storage.yaml");
        await bed.ApplyOkAsync("medicalmodel-cpu-text.yaml");
        await bed.ApplyOkAsync("trainingjob.yaml");
        await bed.ApplyOkAsync("workspace.yaml");

        await bed.WaitReadyAsync("medicalmodel/notes-classifier", "trainingjob/chest-xray-train", "workspace/dr-smith");
        // The model the job registered on success: not in Git, but a GitOps user waits on it too.
        await bed.WaitReadyAsync("medicalmodel/chest-xray-trained");

        foreach (var (resource, kind) in new[]
        {
            ("medicalmodel/notes-classifier", "MedicalModel"), ("medicalmodel/chest-xray-trained", "MedicalModel"),
            ("trainingjob/chest-xray-train", "TrainingJob"), ("workspace/dr-smith", "Workspace"),
        })
        {
            var obj = await bed.GetAsync(resource);
            AssertKstatusCurrent(resource, obj);
            var (status, message) = await ArgoHealth.JudgeAsync(kind, obj);
            Assert.True(status == "Healthy", $"{kind}/health.lua says {status} \"{message}\" of the Ready {resource}:\n{obj}");
        }

        // Stopped and suspended on purpose: Ready stays True (the desired state is reached), and
        // Argo CD shows Suspended, not Degraded.
        var stop = await bed.KubectlAsync("patch", "workspace/dr-smith", "--type=merge", "-p", """{"spec":{"running":false}}""");
        Assert.True(stop.ExitCode == 0, stop.Output);
        var suspend = await bed.KubectlAsync("patch", "medicalmodel/notes-classifier", "--type=merge", "-p", """{"spec":{"suspend":true}}""");
        Assert.True(suspend.ExitCode == 0, suspend.Output);
        await WaitForHealthAsync(bed, "workspace/dr-smith", "Workspace", "Suspended");
        await WaitForHealthAsync(bed, "medicalmodel/notes-classifier", "MedicalModel", "Suspended");
        await bed.WaitReadyAsync("workspace/dr-smith", "medicalmodel/notes-classifier");
        foreach (var resource in new[] { "workspace/dr-smith", "medicalmodel/notes-classifier" })
        {
            var obj = await bed.GetAsync(resource);
            AssertKstatusCurrent(resource, obj);
            Assert.Equal(2, obj.GetProperty("metadata").GetProperty("generation").GetInt64());
        }
    }

    [Fact]
    public async Task Applying_the_samples_twice_server_side_changes_nothing()
    {
        await using var bed = await SamplesTestBed.StartAsync(cluster, "gitops-ssa");
        foreach (var sample in Samples)
        {
            await bed.ApplyOkAsync(sample);
        }
        await bed.WaitReadyAsync(CustomResources);
        await bed.WaitReadyAsync("medicalmodel/chest-xray-trained");

        const string crs = "medicalmodels,trainingjobs,workspaces,persistentvolumeclaims";
        const string children = "deployments,services,horizontalpodautoscalers,poddisruptionbudgets,networkpolicies,virtualmachines.kubevirt.io,datavolumes.cdi.kubevirt.io";
        // Converged: nothing changes for a few seconds in a row.
        var settled = await Eventually.WaitForAsync(
            async () =>
            {
                var before = await bed.SnapshotAsync(crs, resourceVersion: true);
                // 3 s quiet is longer than any step still pending once Ready: the simulator's steps are 0.5-2 s apart (StartupDelay 500 ms, DataVolumePlanner), the operator's requeues 200 ms.
                await Task.Delay(TimeSpan.FromSeconds(3));
                var after = await bed.SnapshotAsync(crs, resourceVersion: true);
                return (Stable: before.SequenceEqual(after), Snapshot: after);
            },
            s => s.Stable,
            SamplesTestBed.Timeout,
            "the samples' objects to stop changing after they became Ready");
        var first = settled.Snapshot;
        var firstChildren = await bed.SnapshotAsync(children, resourceVersion: false);

        foreach (var sample in Samples)
        {
            var diff = await bed.DiffAsync(sample);
            Assert.True(diff.ExitCode == 0 && diff.StandardOutput.Trim().Length == 0,
                $"kubectl diff --server-side -f samples/{sample} after convergence exited {diff.ExitCode}:\n{diff.Output}");
        }

        foreach (var sample in Samples)
        {
            await bed.ApplyOkAsync(sample);
        }
        var second = await bed.SnapshotAsync(crs, resourceVersion: true);
        Assert.True(first.SequenceEqual(second),
            $"the second server-side apply changed objects:\nbefore: {Describe(first)}\nafter:  {Describe(second)}");

        foreach (var sample in Samples)
        {
            var diff = await bed.DiffAsync(sample);
            Assert.True(diff.ExitCode == 0 && diff.StandardOutput.Trim().Length == 0,
                $"kubectl diff --server-side -f samples/{sample} after the second apply exited {diff.ExitCode}:\n{diff.Output}");
        }

        // And the operator does not answer the second apply with writes of its own.
        // No resync in MedOps.Runtime and no short requeue left (the job's TTL and deadline are 86400 s): a write would follow a watch event within one reconcile, well inside 5 s.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var later = await bed.SnapshotAsync(crs, resourceVersion: true);
        Assert.True(first.SequenceEqual(later),
            $"objects changed after the second apply:\nbefore: {Describe(first)}\nafter:  {Describe(later)}\noperator log:\n{bed.OperatorTail()}");
        var laterChildren = await bed.SnapshotAsync(children, resourceVersion: false);
        Assert.True(firstChildren.SequenceEqual(laterChildren),
            $"the children's specs changed (generation) after the second apply:\nbefore: {Describe(firstChildren)}\nafter:  {Describe(laterChildren)}");
        Assert.Contains("Deployment/chest-xray", firstChildren.Keys);
        Assert.Contains("VirtualMachine/dr-smith", firstChildren.Keys);
    }

    // kstatus (Flux, kubectl wait, cli-utils) calls a resource Current when status.observedGeneration
    // equals metadata.generation, Reconciling is not True and Stalled is not True.
    private static void AssertKstatusCurrent(string resource, JsonElement obj)
    {
        var generation = obj.GetProperty("metadata").GetProperty("generation").GetInt64();
        var status = obj.GetProperty("status");
        Assert.True(status.TryGetProperty("observedGeneration", out var observed) && observed.GetInt64() == generation,
            $"{resource}: status.observedGeneration is not metadata.generation {generation}:\n{obj}");
        var conditions = status.GetProperty("conditions").EnumerateArray().ToList();
        string? Of(string type) => conditions.FirstOrDefault(c => c.GetProperty("type").GetString() == type) is { ValueKind: JsonValueKind.Object } c
            ? c.GetProperty("status").GetString()
            : null;
        Assert.True(Of("Ready") == "True", $"{resource}: Ready is not True:\n{obj}");
        Assert.True(Of("Reconciling") != "True", $"{resource}: Reconciling is True on a Ready resource:\n{obj}");
        Assert.True(Of("Stalled") != "True", $"{resource}: Stalled is True on a Ready resource:\n{obj}");
        foreach (var condition in conditions.Where(c => c.GetProperty("type").GetString() is "Ready"))
        {
            Assert.Equal(generation, condition.GetProperty("observedGeneration").GetInt64());
        }
    }

    private static async Task WaitForHealthAsync(SamplesTestBed bed, string resource, string kind, string expected)
    {
        var seen = new List<string>();
        await Eventually.WaitForAsync(
            async () =>
            {
                var (status, message) = await ArgoHealth.JudgeAsync(kind, await bed.GetAsync(resource));
                var verdict = $"{status} \"{message}\"";
                if (seen.Count == 0 || seen[^1] != verdict)
                {
                    seen.Add(verdict);
                }
                return status;
            },
            status => status == expected,
            SamplesTestBed.Timeout,
            $"{kind}/health.lua to say {expected} of {resource}; verdicts so far: {string.Join(" → ", seen)}");
        Assert.DoesNotContain(seen, v => v.StartsWith("Degraded", StringComparison.Ordinal));
    }

    private static string Describe(SortedDictionary<string, string> snapshot) =>
        string.Join("; ", snapshot.Select(kv => $"{kv.Key} {kv.Value}"));
}
