using System.Text;
using MedOps.ModelInitializer.Digests;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Tests.Digests;

public sealed class ContentDigestTests : IDisposable
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_is_the_sha256_of_its_bytes()
    {
        var content = Hashes.Content(1, 100_000);
        var file = _folder.Write("model.onnx", content);

        var result = await ComputeAsync(file);

        Assert.Equal(Hashes.Digest(content), result.Digest);
        Assert.Equal(1, result.Files);
        Assert.Equal(100_000, result.Bytes);
    }

    [Fact]
    public async Task A_known_file_has_the_known_digest()
    {
        var file = _folder.Write("abc", "abc");

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", (await ComputeAsync(file)).Digest);
    }

    [Fact]
    public async Task The_example_of_the_documentation_has_its_documented_digests()
    {
        _folder.Write("resnet/config.json", "{\"arch\": \"resnet\"}\n");
        _folder.Write("resnet/weights/part-1.bin", "weights\n");
        Directory.CreateDirectory(_folder.Join("resnet/empty"));

        Assert.Equal("sha256:dde6d43dc2cf99619ab77c008bafa7c090e70c0c03067f9e362159e6ab38a3b9", (await ComputeAsync(_folder.Join("resnet"))).Digest);
        Assert.Equal("sha256:8df7118ac75cd960b9784fd596eef462b501de31cd1b4639114219d7ccc7d4aa", (await ComputeAsync(_folder.Join("resnet/config.json"))).Digest);
    }

    [Fact]
    public async Task An_empty_folder_is_the_sha256_of_the_empty_manifest()
    {
        var result = await ComputeAsync(_folder.Path);

        Assert.Equal(EmptySha256, result.Digest);
        Assert.Equal(0, result.Files);
    }

    [Fact]
    public async Task Empty_subfolders_do_not_count()
    {
        Directory.CreateDirectory(_folder.Join("a/b/c"));
        Directory.CreateDirectory(_folder.Join("d"));

        Assert.Equal(EmptySha256, (await ComputeAsync(_folder.Path)).Digest);

        var content = Encoding.UTF8.GetBytes("weights");
        _folder.Write("a/b/w.bin", content);
        Assert.Equal(Hashes.Manifest(("a/b/w.bin", content)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task Nested_folders_are_one_manifest_sorted_by_path_with_slashes()
    {
        var config = Encoding.UTF8.GetBytes("{\"layers\": 12}");
        var weights = Hashes.Content(2, 5000);
        var vocab = Encoding.UTF8.GetBytes("a\nb\n");
        var readme = Encoding.UTF8.GetBytes("# model\n");
        _folder.Write("weights/part-1.bin", weights);
        _folder.Write("config.json", config);
        _folder.Write("tokenizer/vocab.txt", vocab);
        _folder.Write("README.md", readme);

        var result = await ComputeAsync(_folder.Path);

        // 'R' (0x52) < 'c' < 't' < 'w': byte order, upper case first, as LC_ALL=C sort.
        Assert.Equal(Hashes.Manifest(("README.md", readme), ("config.json", config), ("tokenizer/vocab.txt", vocab), ("weights/part-1.bin", weights)), result.Digest);
        Assert.Equal(4, result.Files);
        Assert.Equal(config.Length + weights.Length + vocab.Length + readme.Length, result.Bytes);
    }

    [Fact]
    public async Task A_slash_sorts_by_its_byte_not_as_a_folder_boundary()
    {
        // "a-b" (0x2D) < "a/b" (0x2F) < "a0" (0x30): the path is compared as one string of bytes.
        var one = Encoding.UTF8.GetBytes("1");
        var two = Encoding.UTF8.GetBytes("2");
        var three = Encoding.UTF8.GetBytes("3");
        _folder.Write("a0", three);
        _folder.Write("a/b", two);
        _folder.Write("a-b", one);

        Assert.Equal(Hashes.Manifest(("a-b", one), ("a/b", two), ("a0", three)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task Names_are_normalised_to_NFC()
    {
        var content = Encoding.UTF8.GetBytes("x");
        _folder.Write("cafe\u0301/re\u0301sume\u0301.bin", content);

        Assert.Equal(Hashes.Manifest(("caf\u00e9/r\u00e9sum\u00e9.bin", content)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task Non_ascii_names_sort_by_utf8_bytes_not_utf16_code_units()
    {
        var ascii = Encoding.UTF8.GetBytes("a");
        var privateUse = Encoding.UTF8.GetBytes("b");
        var emoji = Encoding.UTF8.GetBytes("c");
        _folder.Write("\U0001F600.bin", emoji);
        _folder.Write("\uE000.bin", privateUse);
        _folder.Write("z.bin", ascii);

        // UTF-16 would put U+1F600 (D83D DE00) before U+E000; UTF-8 has EE 80 80 < F0 9F 98 80.
        Assert.Equal(Hashes.Manifest(("z.bin", ascii), ("\uE000.bin", privateUse), ("\U0001F600.bin", emoji)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task Two_names_equal_after_NFC_are_refused()
    {
        _folder.Write("\u00e9.bin", "composed");
        _folder.Write("e\u0301.bin", "decomposed");

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("NFC", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_file_inside_is_hashed_under_the_links_path()
    {
        var content = Encoding.UTF8.GetBytes("weights");
        _folder.Write("blobs/abc123", content);
        File.CreateSymbolicLink(_folder.Join("model.bin"), "blobs/abc123");

        Assert.Equal(Hashes.Manifest(("blobs/abc123", content), ("model.bin", content)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task A_link_to_a_folder_inside_is_followed()
    {
        var content = Encoding.UTF8.GetBytes("w");
        _folder.Write("v1/w.bin", content);
        Directory.CreateSymbolicLink(_folder.Join("current"), "v1");

        Assert.Equal(Hashes.Manifest(("current/w.bin", content), ("v1/w.bin", content)), (await ComputeAsync(_folder.Path)).Digest);
    }

    [Fact]
    public async Task A_link_outside_the_folder_is_refused()
    {
        using var outside = new TempFolder();
        var secret = outside.Write("secret", "do not read");
        _folder.Write("model.bin", "w");
        File.CreateSymbolicLink(_folder.Join("leak"), secret);

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("the link leak points outside the folder", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_link_that_climbs_out_is_refused()
    {
        var model = _folder.Join("model");
        Directory.CreateDirectory(Path.Join(model, "sub"));
        File.WriteAllText(_folder.Join("beside.txt"), "not part of the model");
        File.CreateSymbolicLink(Path.Join(model, "sub", "up"), "../../beside.txt");

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(model));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("sub/up", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_that_leaves_through_another_link_and_comes_back_lexically_is_judged_by_its_real_target()
    {
        using var outside = new TempFolder();
        Directory.CreateDirectory(outside.Join("deep/deeper"));
        outside.Write("deep/secret", "s");
        Directory.CreateSymbolicLink(_folder.Join("door"), outside.Join("deep/deeper"));
        // door/.. is outside/deep for the kernel, not the model folder as a lexical "..".
        File.CreateSymbolicLink(_folder.Join("sneaky"), "door/../secret");

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
    }

    [Fact]
    public async Task A_link_loop_is_refused()
    {
        _folder.Write("w.bin", "w");
        Directory.CreateSymbolicLink(_folder.Join("again"), ".");

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("loop", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dangling_link_is_refused()
    {
        File.CreateSymbolicLink(_folder.Join("gone"), "nothing-here");

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("points to nothing", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_is_refused_rather_than_read_forever()
    {
        var fifo = _folder.Join("pipe");
        await Tools.RunAsync("mkfifo", [fifo]);

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Path));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("pipe is not a regular file", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_reached_through_a_link_is_digested_as_the_folder()
    {
        var content = Encoding.UTF8.GetBytes("w");
        _folder.Write("real/w.bin", content);
        using var other = new TempFolder();
        var link = other.Join("models");
        Directory.CreateSymbolicLink(link, _folder.Join("real"));

        Assert.Equal(Hashes.Manifest(("w.bin", content)), (await ComputeAsync(link)).Digest);
    }

    [Fact]
    public async Task Nothing_there_is_source_not_found()
    {
        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ComputeAsync(_folder.Join("missing")));

        Assert.Equal(FailureReason.SourceNotFound, failure.Reason);
    }

    [Fact]
    public async Task More_than_the_limit_is_too_large_before_anything_is_hashed()
    {
        _folder.Write("a.bin", new byte[600]);
        _folder.Write("b.bin", new byte[600]);

        var failure = await Assert.ThrowsAsync<FetchFailure>(() => ContentDigest.ComputeAsync(_folder.Path, 1000, CancellationToken.None));

        Assert.Equal(FailureReason.TooLarge, failure.Reason);
        Assert.Contains("1200 bytes", failure.Detail, StringComparison.Ordinal);
    }

    private static Task<DigestResult> ComputeAsync(string path) => ContentDigest.ComputeAsync(path, long.MaxValue, CancellationToken.None);
}
