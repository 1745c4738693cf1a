using MedOps.IntegrationTests.Api;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Operator;

/// <summary>
/// The operator refuses to start on a cluster that does not serve the MedOps CRDs: one line
/// naming what is missing and how to install it, and a non-zero exit code. This test removes
/// the shared cluster's Workspace CRD for a few seconds, so it is alone in its class and always
/// restores it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MissingCrdsTests(LocalCluster cluster)
{
    private const string RemovedCrd = "workspaces.medops.io";

    [Fact]
    public async Task Without_the_crds_the_operator_exits_1_with_one_line_naming_the_missing_crd()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        try
        {
            var remove = await cluster.KubectlAsync("delete", "crd", RemovedCrd, "--wait=true");
            Assert.True(remove.ExitCode == 0, remove.Output);
            await Eventually.WaitUntilAsync(async () => !(await cluster.KubectlAsync("get", "--raw", "/apis/medops.io/v1alpha1")).Output.Contains("\"workspaces\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), $"{RemovedCrd} to be gone from discovery");

            var result = await ProcessRunner.RunAsync("dotnet",
                [OperatorProcess.Dll, "--kubeconfig", OperatorProcess.DevKubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", $"127.0.0.1:{OperatorProcess.FreePort()}"],
                TimeSpan.FromSeconds(60));

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"the MedOps CRDs are not installed ({RemovedCrd} not served)", line, StringComparison.Ordinal);
            Assert.Contains("kubectl apply -f crds/", line, StringComparison.Ordinal);
        }
        finally
        {
            await MedOpsCrds.InstallAsync(cluster);
        }
    }
}
