using System.Text.Json;
using System.Xml.Linq;
using MedOps.Testing;

namespace MedOps.Operator.Tests.Image;

/// <summary>
/// The runtime settings that keep the operator's memory down, where each is written: the project
/// (runtimeconfig.json) and the image's Dockerfile (environment only), read by hack/images.sh and
/// the tests' operator process.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_built_operator_runs_with_workstation_gc_and_without_dynamic_pgo()
    {
        var runtimeConfig = RepositoryLayout.ProgramDll("MedOps.Operator", "medops-operator").Replace(".dll", ".runtimeconfig.json", StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        // Tiers stay on in a plain build: without ahead-of-time code every method would be fully JIT-compiled.
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation", out _));
    }

    [Fact]
    public void Tiered_compilation_is_off_where_the_operator_is_compiled_ahead_of_time()
    {
        var project = XDocument.Load(Path.Combine(RepositoryLayout.Root, "src/MedOps.Operator/MedOps.Operator.csproj"));
        var setting = Assert.Single(project.Descendants("TieredCompilation"));

        Assert.Equal("false", setting.Value);
        Assert.Equal("'$(PublishReadyToRun)' == 'true'", setting.Attribute("Condition")?.Value);
    }

    [Fact]
    public void The_image_sets_a_4_MiB_gen0_budget_in_its_environment()
    {
        Assert.Equal(("DOTNET_GCgen0size", "0x400000"), ImageRuntimeEnvironment.Gen0Budget);
    }

    [Fact]
    public void The_local_image_build_takes_the_gen0_budget_from_the_Dockerfile()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "hack/images.sh"));

        Assert.Contains("grep -o 'DOTNET_GCgen0size=[0-9a-fx]*' src/MedOps.Operator/Dockerfile", script, StringComparison.Ordinal);
        Assert.Contains("--env \"$gen0\"", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ENV DOTNET_GCgen0size=0x200000", "0x200000")]
    [InlineData("ENV A=1 \\\n    DOTNET_GCgen0size=0x400000 \\\n    B=", "0x400000")]
    public void The_gen0_budget_is_read_from_an_ENV_block(string dockerfile, string expected)
    {
        Assert.Equal(expected, ImageRuntimeEnvironment.Parse(dockerfile).Value);
    }

    [Fact]
    public void A_Dockerfile_without_the_gen0_budget_is_an_error_that_names_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ImageRuntimeEnvironment.Parse("ENV DOTNET_EnableDiagnostics=0"));

        Assert.Contains("DOTNET_GCgen0size", error.Message, StringComparison.Ordinal);
    }
}
