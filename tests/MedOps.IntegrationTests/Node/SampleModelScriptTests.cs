using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// The sample trainer and model server (images/sample-model) under their own unittest suite,
/// run with Debian's python3 and python3-sklearn, the same packages their images hold
/// (hack/install.sh installs them on the machine). Here rather than in a unit test project
/// because it needs what the install script brings.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SampleModelScriptTests
{
    [Fact]
    public async Task The_sample_models_own_tests_pass()
    {
        var folder = Path.Combine(RepositoryLayout.Root, "images", "sample-model");
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-m", "unittest", "discover", "-s", folder, "-p", "test_*.py"],
            TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"Ran [1-9][0-9]* tests", result.StandardError);
        Assert.Contains("OK", result.StandardError, StringComparison.Ordinal);
    }
}
