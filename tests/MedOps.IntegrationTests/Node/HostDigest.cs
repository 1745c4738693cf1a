using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>The pin of a folder, computed on the host as users compute it: <c>medops-model-initializer digest &lt;folder&gt;</c>.</summary>
internal static class HostDigest
{
    public static async Task<string> OfAsync(string folder)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [RepositoryLayout.ProgramDll("MedOps.ModelInitializer", "medops-model-initializer"), "digest", folder], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var digest = result.StandardOutput.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        return digest;
    }
}
