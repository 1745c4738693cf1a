using System.Collections.Concurrent;
using System.Diagnostics;
using MedOps.Testing.Servers;
using Microsoft.AspNetCore.Http;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>fetch of https:// and http:// sources against a real HTTP server on loopback.</summary>
public sealed class HttpFetchTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Model = Hashes.Content(42, 300_000);
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly InitializerRun _run = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(HandleAsync);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task The_right_digest_is_verified_and_the_file_is_in_place()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx"), Hashes.Digest(Model)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {Hashes.Digest(Model)}", result.Termination);
        Assert.Equal(["resnet.onnx"], _run.Files());
        Assert.Equal(Model, await File.ReadAllBytesAsync(Path.Join(_run.ModelDir, "resnet.onnx")));
        Assert.Contains($"digest {Hashes.Digest(Model)} (1 files, 293.0 KiB): matches MODEL_DIGEST", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_pin_the_digest_is_computed_and_printed()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx")));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Computed: {Hashes.Digest(Model)}", result.Termination);
        Assert.Contains(Hashes.Digest(Model), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_digest_fails_with_both_digests()
    {
        var pinned = "sha256:" + new string('0', 64);

        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx"), pinned));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"DigestMismatch: expected {pinned} actual {Hashes.Digest(Model)}", result.Termination);
    }

    [Fact]
    public async Task Not_found_is_source_not_found_without_retrying()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/missing.bin")));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"SourceNotFound: HTTP 404 Not Found from {Url("models/missing.bin")}", result.Termination);
        Assert.Equal(1, _server.CountOf("/models/missing.bin"));
        Assert.Empty(_run.Files());
    }

    [Fact]
    public async Task Forbidden_is_unauthorized_without_retrying()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/forbidden.bin")));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Unauthorized: HTTP 403 Forbidden from ", result.Termination, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountOf("/models/forbidden.bin"));
    }

    [Fact]
    public async Task A_bad_request_is_not_retried()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/bad.bin")));

        Assert.StartsWith("DownloadFailed: HTTP 400 Bad Request from ", result.Termination, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountOf("/models/bad.bin"));
    }

    [Fact]
    public async Task A_connection_cut_halfway_is_retried_then_fails_as_truncated_leaving_nothing()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/cut.bin")));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"DownloadFailed: truncated body: ", result.Termination, StringComparison.Ordinal);
        Assert.EndsWith($"of {Model.Length} bytes (Content-Length) from {Url("models/cut.bin")} after 3 attempts", result.Termination, StringComparison.Ordinal);
        Assert.Equal(3, _server.CountOf("/models/cut.bin"));
        // Neither the truncated file nor a partial file is left.
        Assert.Empty(_run.Files());
    }

    [Fact]
    public async Task A_connection_cut_once_is_retried_and_succeeds()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/cut-once.bin"), Hashes.Digest(Model)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, _server.CountOf("/models/cut-once.bin"));
        Assert.Contains("attempt 1 of 3 failed (truncated body", result.Output, StringComparison.Ordinal);
        Assert.Equal(["cut-once.bin"], _run.Files());
    }

    [Fact]
    public async Task Unavailable_then_ok_is_retried_and_succeeds()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/flaky.bin"), Hashes.Digest(Model)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {Hashes.Digest(Model)}", result.Termination);
        Assert.Equal(2, _server.CountOf("/models/flaky.bin"));
        Assert.Contains("attempt 1 of 3 failed (HTTP 503 Service Unavailable); retrying in", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Always_unavailable_gives_up_after_the_attempts()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/down.bin")));

        Assert.Equal($"DownloadFailed: HTTP 503 Service Unavailable from {Url("models/down.bin")} after 3 attempts", result.Termination);
        Assert.Equal(3, _server.CountOf("/models/down.bin"));
    }

    [Fact]
    public async Task Too_many_requests_waits_the_retry_after()
    {
        var clock = Stopwatch.StartNew();

        var result = await _run.FetchAsync(_run.Environment(Url("models/busy.bin"), Hashes.Digest(Model)));

        Assert.Equal(0, result.ExitCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}, before the Retry-After of 1 s");
        Assert.Contains("HTTP 429 Too Many Requests); retrying in 1.0 s", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_content_length_above_the_limit_is_too_large_before_the_body()
    {
        var environment = _run.Environment(Url("models/resnet.onnx"));
        environment["MODEL_MAX_BYTES"] = "1000";

        var result = await _run.FetchAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"TooLarge: {Url("models/resnet.onnx")} holds 293.0 KiB (300000 bytes): more than MODEL_MAX_BYTES 1000", result.Termination, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountOf("/models/resnet.onnx"));
        Assert.Empty(_run.Files());
    }

    [Fact]
    public async Task A_body_without_length_is_cut_off_at_the_limit()
    {
        var environment = _run.Environment(Url("models/endless.bin"));
        environment["MODEL_MAX_BYTES"] = "1Mi";

        var result = await _run.FetchAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("TooLarge: ", result.Termination, StringComparison.Ordinal);
        Assert.Empty(_run.Files());
    }

    [Fact]
    public async Task The_token_of_the_credentials_folder_is_sent_as_bearer()
    {
        var credentials = _run.Folder.Join("secret");
        Directory.CreateDirectory(credentials);
        await File.WriteAllTextAsync(Path.Join(credentials, "token"), "s3cr3t\n");
        var environment = _run.Environment(Url("models/private.bin"), Hashes.Digest(Model));
        environment["MODEL_CREDENTIALS_DIR"] = credentials;

        var result = await _run.FetchAsync(environment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Bearer s3cr3t", _server.Requests.Single(r => r.Target == "/models/private.bin").Authorization);
        Assert.DoesNotContain("s3cr3t", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_token_a_private_file_is_unauthorized()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/private.bin")));

        Assert.StartsWith("Unauthorized: HTTP 401 Unauthorized", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_string_is_sent_but_never_logged()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx") + "?X-Amz-Signature=topsecret"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, _server.CountOf("/models/resnet.onnx?X-Amz-Signature=topsecret"));
        Assert.DoesNotContain("topsecret", result.Output + result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_lines_name_bytes_percent_and_rate()
    {
        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx")));

        Assert.Matches(@"models/resnet\.onnx: [0-9.]+ (B|KiB) of 293\.0 KiB \([0-9]+%\)", result.Output);
        Assert.Contains("resnet.onnx: done, 293.0 KiB in ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_fails()
    {
        // A port that was just free: nothing listens there.
        var port = new Uri(Url("x")).Port;
        await _server.DisposeAsync();
        _server = await LoopbackServer.StartAsync(HandleAsync);

        var result = await _run.FetchAsync(_run.Environment($"http://127.0.0.1:{port}/models/resnet.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("DownloadFailed: connection error: ", result.Termination, StringComparison.Ordinal);
        Assert.EndsWith("after 3 attempts", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_not_sent_over_plain_http_to_another_host()
    {
        var credentials = _run.Folder.Join("secret");
        Directory.CreateDirectory(credentials);
        await File.WriteAllTextAsync(Path.Join(credentials, "token"), "s3cr3t");
        var environment = _run.Environment("http://models.example.invalid/m.bin");
        environment["MODEL_CREDENTIALS_DIR"] = credentials;

        var result = await _run.FetchAsync(environment);

        Assert.StartsWith("InvalidSource: http://models.example.invalid/m.bin is plain http", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stalls_times_out_and_is_retried()
    {
        var policy = InitializerRun.FastPolicy with { ReadTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 };

        var result = await _run.FetchAsync(_run.Environment(Url("models/stall.bin")), policy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"DownloadFailed: no data for 0.3 s after {Model.Length / 2} bytes from {Url("models/stall.bin")} after 2 attempts", result.Termination);
        Assert.Equal(2, _server.CountOf("/models/stall.bin"));
    }

    [Fact]
    public async Task A_link_out_of_model_dir_next_to_the_download_is_refused()
    {
        using var outside = new TempFolder();
        Directory.CreateDirectory(_run.ModelDir);
        File.CreateSymbolicLink(Path.Join(_run.ModelDir, "extra"), outside.Path);

        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx"), Hashes.Digest(Model)));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("UnsafeContent: the link extra points outside the folder", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_file_of_a_killed_run_is_removed()
    {
        Directory.CreateDirectory(_run.ModelDir);
        await File.WriteAllTextAsync(Path.Join(_run.ModelDir, ".medops-partial-0123"), "half a model");

        var result = await _run.FetchAsync(_run.Environment(Url("models/resnet.onnx")));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["resnet.onnx"], _run.Files());
    }

    private string Url(string path) => new Uri(_server.Address, path).ToString();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        var hit = _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        switch (path)
        {
            case "/models/resnet.onnx":
            case "/models/private.bin" when context.Request.Headers.Authorization == "Bearer s3cr3t":
                await SendAsync(context, Model.Length);
                break;
            case "/models/private.bin":
                context.Response.StatusCode = 401;
                break;
            case "/models/forbidden.bin":
                context.Response.StatusCode = 403;
                break;
            case "/models/bad.bin":
                context.Response.StatusCode = 400;
                break;
            case "/models/cut.bin":
            case "/models/cut-once.bin" when hit == 1:
                await SendAsync(context, Model.Length / 2);
                break;
            case "/models/cut-once.bin":
                await SendAsync(context, Model.Length);
                break;
            case "/models/flaky.bin" when hit == 1:
            case "/models/down.bin":
                context.Response.StatusCode = 503;
                break;
            case "/models/flaky.bin":
                await SendAsync(context, Model.Length);
                break;
            case "/models/busy.bin" when hit == 1:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                break;
            case "/models/busy.bin":
                await SendAsync(context, Model.Length);
                break;
            case "/models/stall.bin":
                context.Response.ContentLength = Model.Length;
                await context.Response.Body.WriteAsync(Model.AsMemory(0, Model.Length / 2));
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
                context.Abort();
                break;
            case "/models/endless.bin":
                // Chunked, no Content-Length: only the limit stops it.
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 64 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    // Announces the whole model and sends the first `bytes` of it: fewer means the connection is cut.
    private static async Task SendAsync(HttpContext context, int bytes)
    {
        context.Response.ContentLength = Model.Length;
        await context.Response.Body.WriteAsync(Model.AsMemory(0, bytes));
        if (bytes < Model.Length)
        {
            await context.Response.Body.FlushAsync();
            context.Abort();
        }
    }
}
