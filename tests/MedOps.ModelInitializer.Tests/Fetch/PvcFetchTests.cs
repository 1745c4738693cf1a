using System.Text;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>pvc:// sources: the claim is mounted at MODEL_DIR already; fetch only verifies.</summary>
public sealed class PvcFetchTests : IDisposable
{
    private static readonly byte[] Weights = Encoding.UTF8.GetBytes("weights");
    private readonly InitializerRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task The_mounted_folder_is_verified_and_left_as_it_is()
    {
        _run.Folder.Write("models/v2/w.bin", Weights);
        var expected = Hashes.Manifest(("v2/w.bin", Weights));

        var result = await _run.FetchAsync(_run.Environment("pvc://models/resnet", expected));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {expected}", result.Termination);
        Assert.Equal(["v2/w.bin"], _run.Files());
    }

    [Fact]
    public async Task A_mounted_file_is_verified_as_a_file()
    {
        var file = _run.Folder.Write("models", Weights);

        var result = await _run.FetchAsync(_run.Environment("pvc://models/resnet/model.onnx", Hashes.Digest(Weights)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {Hashes.Digest(Weights)}", result.Termination);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_link_out_of_the_claim_is_unsafe()
    {
        _run.Folder.Write("models/w.bin", Weights);
        File.CreateSymbolicLink(Path.Join(_run.ModelDir, "shadow"), "/etc/shadow");

        var result = await _run.FetchAsync(_run.Environment("pvc://models"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("UnsafeContent: the link shadow points outside the folder (to /etc/shadow)", result.Termination);
    }

    [Fact]
    public async Task Nothing_mounted_is_source_not_found()
    {
        var result = await _run.FetchAsync(_run.Environment("pvc://models/resnet"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"SourceNotFound: pvc://models/resnet is not mounted at {_run.ModelDir}", result.Termination);
    }

    [Fact]
    public async Task A_changed_claim_is_a_digest_mismatch()
    {
        _run.Folder.Write("models/w.bin", "tampered");
        var pinned = Hashes.Manifest(("w.bin", Weights));

        var result = await _run.FetchAsync(_run.Environment("pvc://models", pinned));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"DigestMismatch: expected {pinned} actual {Hashes.Manifest(("w.bin", Encoding.UTF8.GetBytes("tampered")))}", result.Termination);
    }

    [Fact]
    public async Task A_missing_uri_is_an_invalid_source()
    {
        var environment = _run.Environment("");

        var result = await _run.FetchAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("InvalidSource: MODEL_URI is not set", result.Termination, StringComparison.Ordinal);
    }
}
