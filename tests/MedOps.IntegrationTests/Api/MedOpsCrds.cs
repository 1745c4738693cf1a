using MedOps.Testing;

namespace MedOps.IntegrationTests.Api;

/// <summary>
/// Installs the committed CRDs (crds/) the way a platform engineer does, with kubectl apply,
/// once per test run, and runs kubectl on manifests written to temporary files.
/// </summary>
internal static class MedOpsCrds
{
    public static readonly string[] Names = ["medicalmodels.medops.io", "modelapprovals.medops.io", "trainingjobs.medops.io", "workspaces.medops.io"];

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool installed;

    /// <summary>The folder of the committed CRDs.</summary>
    public static string Folder => Path.Combine(RepositoryLayout.Root, "crds");

    /// <summary>Applies crds/ (idempotent) and waits until the API server serves the kinds.</summary>
    public static async Task EnsureInstalledAsync(LocalCluster cluster)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (installed)
            {
                return;
            }
            await InstallAsync(cluster);
            installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>kubectl apply -f crds/, then kubectl wait for Established; returns apply's result.</summary>
    public static async Task<ProcessResult> InstallAsync(LocalCluster cluster)
    {
        var apply = await cluster.KubectlAsync("apply", "-f", Folder);
        Assert.True(apply.ExitCode == 0, $"kubectl apply -f crds/ failed:\n{apply.Output}");
        var wait = await cluster.KubectlAsync(["wait", "--for", "condition=Established", "--timeout", "60s", .. Names.Select(n => "crd/" + n)]);
        Assert.True(wait.ExitCode == 0, $"the CRDs did not become Established:\n{wait.Output}");
        return apply;
    }

    /// <summary>Runs kubectl with <c>-f</c> pointing at <paramref name="manifest"/> (YAML or JSON) written to a temporary file.</summary>
    public static async Task<ProcessResult> KubectlOnManifestAsync(LocalCluster cluster, string manifest, params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-api-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, manifest);
        try
        {
            return await cluster.KubectlAsync([.. arguments, "-f", path]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
