using MedOps.ModelInitializer.Digests;

namespace MedOps.ModelInitializer.Tests.Digests;

/// <summary>The documented shell equivalents of the folder digest (docs/model-initializer.md), run for real.</summary>
public sealed class ShellDigestTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Find_sort_sha256sum_gives_the_same_digest_for_plain_ascii_names()
    {
        // The documented pipeline needs coreutils, which every machine of this project has: a
        // machine without them fails here rather than passing without a comparison.
        Assert.True(Tools.Exists("sh") && Tools.Exists("sha256sum"), "sh and sha256sum (coreutils) are needed to check the documented pipeline");
        _folder.Write("config.json", "{}");
        _folder.Write("weights/part-1.bin", Hashes.Content(3, 10_000));
        _folder.Write("weights/part-2.bin", Hashes.Content(4, 10_000));
        _folder.Write("Tokenizer/vocab.txt", "a\nb\n");
        _folder.Write("a-b", "dash");
        Directory.CreateDirectory(_folder.Join("empty/folder"));

        var shell = await ShellDigestAsync("find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum");

        Assert.Equal((await ContentDigest.ComputeAsync(_folder.Path, long.MaxValue, CancellationToken.None)).Digest, shell);
    }

    [Fact]
    public async Task The_null_separated_pipeline_also_holds_for_names_with_blanks()
    {
        Assert.True(Tools.Exists("sh") && Tools.Exists("sha256sum"), "sh and sha256sum (coreutils) are needed to check the documented pipeline");
        _folder.Write("my model/weights 1.bin", Hashes.Content(5, 1000));
        _folder.Write("read me.txt", "x");

        var shell = await ShellDigestAsync("find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum");

        Assert.Equal((await ContentDigest.ComputeAsync(_folder.Path, long.MaxValue, CancellationToken.None)).Digest, shell);
    }

    private async Task<string> ShellDigestAsync(string pipeline)
    {
        var (code, output) = await Tools.RunAsync("sh", ["-c", pipeline], _folder.Path);
        Assert.Equal(0, code);
        // sha256sum of standard input prints "<hex>  -".
        return "sha256:" + output.Split(' ')[0];
    }
}
