using MedOps.Api.V1Alpha1;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Workspaces;

/// <summary>
/// KubeVirt installed only after a workspace was created: the workspace is Stalled with
/// KubeVirtNotInstalled, and heals without an operator restart. This test removes the shared
/// cluster's KubeVirt CRDs for a few seconds, so it is alone in its class and always restores
/// them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KubeVirtAppearsTests(LocalCluster cluster)
{
    private static readonly string CrdFolder = Path.Combine(RepositoryLayout.Root, "hack", "simulator", "crds");

    [Fact]
    public async Task A_workspace_created_before_kubevirt_is_stalled_then_provisioned_when_kubevirt_appears()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-kubevirt");
        var health = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var remove = await cluster.KubectlAsync("delete", "crd", "virtualmachines.kubevirt.io", "datavolumes.cdi.kubevirt.io", "--ignore-not-found");
            Assert.True(remove.ExitCode == 0, remove.Output);
            await Eventually.WaitUntilAsync(async () => !(await cluster.KubectlAsync("get", "--raw", "/apis/kubevirt.io/v1")).Output.Contains("virtualmachines", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "virtualmachines.kubevirt.io to be gone from discovery");

            await bed.ApplyOkAsync(bed.Workspace("early"));
            var stalled = await bed.WaitStalledAsync("early", ConditionReasons.KubeVirtNotInstalled);
            Assert.Equal(WorkspacePhase.Failed, stalled.Status!.Phase);
            Assert.Null(stalled.Status.VmName);
            // The absent CRDs must not hold the operator's readiness hostage.
            var ready = await health.GetAsync($"http://127.0.0.1:{bed.Operator.HealthPort}/readyz");
            Assert.True(ready.IsSuccessStatusCode, $"/readyz answered {(int)ready.StatusCode}");
            Assert.Single(await bed.WaitForEventsAsync("early", ConditionReasons.KubeVirtNotInstalled));
        }
        finally
        {
            var restore = await cluster.KubectlAsync("apply", "-f", CrdFolder);
            Assert.True(restore.ExitCode == 0, restore.Output);
            await cluster.KubectlAsync("wait", "--for", "condition=Established", "--timeout", "60s", "crd/virtualmachines.kubevirt.io", "crd/datavolumes.cdi.kubevirt.io");
            health.Dispose();
        }

        var pid = bed.Operator.Pid;
        await bed.WaitPhaseAsync("early", WorkspacePhase.Running, ready: true);
        Assert.False(bed.Operator.HasExited);
        Assert.Equal(pid, bed.Operator.Pid);
        Assert.NotNull(await bed.VmAsync("early"));
    }
}
