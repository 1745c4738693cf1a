using MedOps.Testing;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>
/// hack/lib.sh's <c>cached_product</c>, which every cached install product (the Kubernetes
/// binaries, kubectl and helm) goes through: a product is reused only while the recipe that made
/// it is unchanged, so an edited build step is proven by the very next run instead of hiding
/// behind a cache. Runs the real script with bash, on a recipe of the test's own, in a scratch
/// cache.
/// </summary>
public sealed class InstallRecipeTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), $"medops-recipe-{Guid.NewGuid():N}");

    public InstallRecipeTests() => Directory.CreateDirectory(cache);

    [Fact]
    public async Task An_unchanged_recipe_reuses_the_product_and_a_changed_step_makes_it_again()
    {
        var first = await RunAsync("echo v1 >\"$1/bin\"");
        Assert.Equal("made:v1", first);

        var again = await RunAsync("echo v1 >\"$1/bin\"");
        Assert.Equal("kept:v1", again);

        var edited = await RunAsync("echo v2 >\"$1/bin\"");
        Assert.Equal("made:v2", edited);
    }

    [Fact]
    public async Task A_changed_input_makes_the_product_again()
    {
        Assert.Equal("made:v1", await RunAsync("echo v1 >\"$1/bin\"", inputs: "kubernetes 1.20.2"));

        Assert.Equal("made:v1", await RunAsync("echo v1 >\"$1/bin\"", inputs: "kubernetes 1.20.3"));
    }

    [Fact]
    public async Task A_product_without_a_stamp_or_left_half_made_is_not_trusted()
    {
        // What an older script left (no stamp), and a build that died half way.
        Directory.CreateDirectory(Path.Combine(cache, "product"));
        await File.WriteAllTextAsync(Path.Combine(cache, "product", "bin"), "old\n");
        Directory.CreateDirectory(Path.Combine(cache, "product.partial"));

        Assert.Equal("made:v1", await RunAsync("echo v1 >\"$1/bin\""));
        Assert.False(Directory.Exists(Path.Combine(cache, "product.partial")));
    }

    [Fact]
    public async Task A_failing_step_leaves_no_product_behind()
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", Script("echo half >\"$1/bin\"; exit 3", "x")], TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(cache, "product", ".recipe")));
    }

    public void Dispose() => Directory.Delete(cache, recursive: true);

    // Makes $cache/product with a step whose body is <paramref name="step"/>, then prints
    // "made:" or "kept:" and the product's content.
    private async Task<string> RunAsync(string step, string inputs = "inputs")
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", Script(step, inputs)], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        return result.StandardOutput.Trim();
    }

    private string Script(string step, string inputs) => $$"""
        set -euo pipefail
        source '{{Path.Combine(RepositoryLayout.Root, "hack", "lib.sh")}}'
        made=kept
        make_product() { made=made; {{step}}; }
        cached_product '{{Path.Combine(cache, "product")}}' '{{inputs}}' make_product
        echo "$made:$(cat '{{Path.Combine(cache, "product", "bin")}}')"
        """;
}
