using MedOps.Testing.Servers;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>The built program as a process, as the kubelet runs it: exit code and termination log file.</summary>
public sealed class ProgramProcessTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Model = Hashes.Content(5, 50_000);
    private readonly InitializerRun _run = new();
    private LoopbackServer _server = null!;
    private LoopbackServer _metadata = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/models/model.bin")
            {
                context.Response.ContentLength = Model.Length;
                await context.Response.Body.WriteAsync(Model);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        // Stands in for the instance metadata service: nothing may ever ask it.
        _metadata = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _metadata.DisposeAsync();
    }

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task A_wrong_digest_exits_1_and_writes_the_termination_log()
    {
        var pinned = "sha256:" + new string('1', 64);

        var (code, output) = await RunProgramAsync(_run.Environment(new Uri(_server.Address, "models/model.bin").ToString(), pinned));

        Assert.True(code == 1, output);
        Assert.Equal($"DigestMismatch: expected {pinned} actual {Hashes.Digest(Model)}", await File.ReadAllTextAsync(_run.TerminationLog));
        Assert.Contains("failed: DigestMismatch", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_digest_exits_0_and_writes_verified()
    {
        var (code, output) = await RunProgramAsync(_run.Environment(new Uri(_server.Address, "models/model.bin").ToString(), Hashes.Digest(Model)));

        Assert.True(code == 0, output);
        Assert.Equal($"Verified: {Hashes.Digest(Model)}", await File.ReadAllTextAsync(_run.TerminationLog));
        Assert.Equal(Model, await File.ReadAllBytesAsync(Path.Join(_run.ModelDir, "model.bin")));
    }

    [Fact]
    public async Task An_anonymous_s3_fetch_never_asks_the_metadata_service()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.Objects["m/model.bin"] = Model;
        var environment = _run.Environment("s3://models/m/model.bin", Hashes.Digest(Model));
        environment["S3_ENDPOINT"] = s3.Endpoint.ToString();

        var (code, output) = await RunProgramAsync(environment);

        Assert.True(code == 0, output);
        Assert.Equal($"Verified: {Hashes.Digest(Model)}", await File.ReadAllTextAsync(_run.TerminationLog));
        Assert.Empty(_metadata.Requests);
        Assert.All(s3.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Digest_as_a_process_prints_the_pin()
    {
        var file = _run.Folder.Write("upload/model.bin", Model);

        var (code, output) = await Tools.RunAsync(DotnetHost, [ProgramPath, "digest", Path.GetDirectoryName(file)!]);

        Assert.Equal(0, code);
        Assert.Equal(Hashes.Manifest(("model.bin", Model)), output.Trim());
    }

    private async Task<(int, string)> RunProgramAsync(Dictionary<string, string> environment)
    {
        var variables = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        // The machine's own AWS settings must not leak into the run; the metadata address is a trap.
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_EC2_METADATA_DISABLED" })
        {
            variables.TryAdd(name, null);
        }
        variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _metadata.Address.ToString();
        return await Tools.RunAsync(DotnetHost, [ProgramPath, "fetch"], environment: variables);
    }

    // The program's dll is copied beside the tests by the project reference.
    private static string ProgramPath => Path.Join(AppContext.BaseDirectory, "medops-model-initializer.dll");

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
