using System.Text;
using MedOps.Testing.Servers;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>fetch of gs:// sources against a Google Cloud Storage JSON API on loopback (GCS_ENDPOINT).</summary>
public sealed class GcsFetchTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Weights = Hashes.Content(9, 150_000);
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{}");
    private readonly InitializerRun _run = new();
    private FakeGcsServer _gcs = null!;

    public async Task InitializeAsync()
    {
        _gcs = await FakeGcsServer.StartAsync();
        _gcs.Objects["bert/model.safetensors"] = Weights;
        _gcs.Objects["bert/base/config.json"] = Config;
        _gcs.Objects["bert/base/weights/model.bin"] = Weights;
        _gcs.Objects["bert/base/extra/notes.txt"] = Config;
    }

    public async Task DisposeAsync() => await _gcs.DisposeAsync();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task An_object_is_one_file()
    {
        var result = await _run.FetchAsync(Environment("gs://public-models/bert/model.safetensors", Hashes.Digest(Weights)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {Hashes.Digest(Weights)}", result.Termination);
        Assert.Equal(["model.safetensors"], _run.Files());
        Assert.Contains(_gcs.Requests, r => r.Target == "/storage/v1/b/public-models/o/bert%2Fmodel.safetensors?alt=media");
    }

    [Fact]
    public async Task A_prefix_is_the_tree_under_it_over_several_pages()
    {
        var expected = Hashes.Manifest(("config.json", Config), ("extra/notes.txt", Config), ("weights/model.bin", Weights));

        var result = await _run.FetchAsync(Environment("gs://public-models/bert/base", expected));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["config.json", "extra/notes.txt", "weights/model.bin"], _run.Files());
        Assert.Contains(_gcs.Requests, r => r.Target.Contains("pageToken=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_is_sent_as_bearer()
    {
        _gcs.RequiredToken = "ya29.token";
        var secret = _run.Folder.Join("secret");
        Directory.CreateDirectory(secret);
        await File.WriteAllTextAsync(Path.Join(secret, "token"), "ya29.token\n");
        var environment = Environment("gs://public-models/bert/model.safetensors");
        environment["MODEL_CREDENTIALS_DIR"] = secret;

        var result = await _run.FetchAsync(environment);

        Assert.Equal(0, result.ExitCode);
        Assert.All(_gcs.Requests, r => Assert.Equal("Bearer ya29.token", r.Authorization));
    }

    [Fact]
    public async Task Without_the_token_a_private_bucket_is_unauthorized()
    {
        _gcs.RequiredToken = "ya29.token";

        var result = await _run.FetchAsync(Environment("gs://public-models/bert/model.safetensors"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Unauthorized: HTTP 401 Unauthorized from gs://public-models/bert/model.safetensors", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_there_is_source_not_found()
    {
        var result = await _run.FetchAsync(Environment("gs://public-models/gpt/"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("SourceNotFound: gs://public-models/gpt/", result.Termination, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment(string uri, string? digest = null)
    {
        var environment = _run.Environment(uri, digest);
        environment["GCS_ENDPOINT"] = _gcs.Endpoint.ToString();
        return environment;
    }
}
