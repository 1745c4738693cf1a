using System.Text;

namespace MedOps.ModelInitializer.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Digest_prints_the_digest_of_a_folder_alone_on_a_line()
    {
        var content = Encoding.UTF8.GetBytes("w");
        _folder.Write("a/w.bin", content);

        var (code, output) = await RunAsync("digest", _folder.Path);

        Assert.Equal(0, code);
        Assert.Equal(Hashes.Manifest(("a/w.bin", content)) + "\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Digest_prints_the_digest_of_a_file()
    {
        var content = Hashes.Content(11, 1234);

        var (code, output) = await RunAsync("digest", _folder.Write("model.onnx", content));

        Assert.Equal(0, code);
        Assert.Equal(Hashes.Digest(content), output.Trim());
    }

    [Fact]
    public async Task Digest_of_an_unsafe_folder_fails_with_the_reason()
    {
        File.CreateSymbolicLink(_folder.Join("out"), "/etc/hostname");

        var (code, output) = await RunAsync("digest", _folder.Path);

        Assert.Equal(1, code);
        Assert.StartsWith("medops-model-initializer: UnsafeContent: the link out points outside", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_the_usage()
    {
        var (code, output) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("medops-model-initializer fetch", output, StringComparison.Ordinal);
        Assert.Contains("MODEL_URI", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("fetch", "now")]
    [InlineData("digest")]
    [InlineData("download")]
    public async Task Other_arguments_are_a_usage_error(params string[] args)
    {
        var (code, output) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("medops-model-initializer: unknown arguments", output, StringComparison.Ordinal);
    }

    private static async Task<(int, string)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await InitializerCommand.RunAsync(args, new Dictionary<string, string>(), output);
        return (code, output.ToString());
    }
}
