using System.Text;
using MedOps.Testing.Servers;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>fetch of s3:// sources with the real AWSSDK.S3 client against an S3 on loopback (S3_ENDPOINT, path-style).</summary>
public sealed class S3FetchTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Weights = Hashes.Content(7, 200_000);
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"arch\": \"resnet\"}");
    private static readonly byte[] Vocab = Encoding.UTF8.GetBytes("é\nü\n");
    private readonly InitializerRun _run = new();
    private FakeS3Server _s3 = null!;

    public async Task InitializeAsync()
    {
        _s3 = await FakeS3Server.StartAsync();
        _s3.Objects["single/model.onnx"] = Weights;
        _s3.Objects["resnet/v2/"] = [];
        _s3.Objects["resnet/v2/config.json"] = Config;
        _s3.Objects["resnet/v2/weights/part-1.bin"] = Weights;
        _s3.Objects["resnet/v2/tokenizer/vocab-é.txt"] = Vocab;
        _s3.Objects["resnet/v2-old/stale.bin"] = Config;
        _s3.Objects["evil/ok.bin"] = Config;
        _s3.Objects["evil/../../outside.bin"] = Config;
    }

    public async Task DisposeAsync() => await _s3.DisposeAsync();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task A_key_is_one_file_named_after_its_last_element()
    {
        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx", Hashes.Digest(Weights)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {Hashes.Digest(Weights)}", result.Termination);
        Assert.Equal(["model.onnx"], _run.Files());
        Assert.Equal(Weights, await File.ReadAllBytesAsync(Path.Join(_run.ModelDir, "model.onnx")));
        // Path-style: the bucket is the first element of the path, on the endpoint's own host.
        Assert.Contains(_s3.Requests, r => r.Method == "HEAD" && r.Target.StartsWith("/models/single/model.onnx", StringComparison.Ordinal));
        Assert.Contains(_s3.Requests, r => r.Method == "GET" && r.Target.StartsWith("/models/single/model.onnx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_prefix_is_the_tree_under_it_over_several_listing_pages()
    {
        var expected = Hashes.Manifest(("config.json", Config), ("tokenizer/vocab-é.txt", Vocab), ("weights/part-1.bin", Weights));

        var result = await _run.FetchAsync(Environment("s3://models/resnet/v2/", expected));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Verified: {expected}", result.Termination);
        Assert.Equal(["config.json", "tokenizer/vocab-é.txt", "weights/part-1.bin"], _run.Files());
        Assert.Equal(Vocab, await File.ReadAllBytesAsync(Path.Join(_run.ModelDir, "tokenizer", "vocab-é.txt")));
        Assert.True(_s3.Requests.Count(r => r.Target.Contains("list-type=2", StringComparison.Ordinal)) >= 2, "the listing took one page only");
    }

    [Fact]
    public async Task A_key_without_slash_that_names_a_folder_is_a_prefix_not_its_siblings()
    {
        var expected = Hashes.Manifest(("config.json", Config), ("tokenizer/vocab-é.txt", Vocab), ("weights/part-1.bin", Weights));

        var result = await _run.FetchAsync(Environment("s3://models/resnet/v2", expected));

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("stale.bin", _run.Files());
    }

    [Fact]
    public async Task A_body_that_fails_the_sdks_md5_check_is_retried()
    {
        _s3.CorruptTimes["single/model.onnx"] = 1;

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx", Hashes.Digest(Weights)));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("attempt 1 of 3 failed (corrupt body: ", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, _s3.Requests.Count(r => r.Method == "GET" && r.Target.StartsWith("/models/single/model.onnx", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_body_that_stays_corrupt_fails_the_download()
    {
        _s3.CorruptTimes["single/model.onnx"] = 10;

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("DownloadFailed: corrupt body: ", result.Termination, StringComparison.Ordinal);
        Assert.EndsWith("from s3://models/single/model.onnx after 3 attempts", result.Termination, StringComparison.Ordinal);
        Assert.Empty(_run.Files());
    }

    [Fact]
    public async Task A_body_slower_than_the_request_timeout_but_never_silent_for_long_completes()
    {
        _s3.Slow.Add("single/model.onnx");
        // The SDK's request timeout is the read timeout: 2 s, and the body takes about 4 s, a
        // piece every 0.5 s: wide enough apart that a loaded machine does not make a gap a timeout.
        var policy = InitializerRun.FastPolicy with { ReadTimeout = TimeSpan.FromSeconds(2) };

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx", Hashes.Digest(Weights)), policy);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(1, _s3.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_store_that_does_not_answer_within_the_read_timeout_fails_the_download()
    {
        _s3.Silent.Add("single/model.onnx");
        var policy = InitializerRun.FastPolicy with { ReadTimeout = TimeSpan.FromMilliseconds(500), MaxAttempts = 1 };

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx"), policy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("DownloadFailed: s3://models/single/model.onnx: no answer within the read timeout", result.Termination);
    }

    [Fact]
    public async Task Keys_are_signed_with_the_credentials_of_the_mounted_secret()
    {
        _s3.RequiredAccessKeyId = "AKIDTESTFROMSECRET";
        var secret = _run.Folder.Join("secret");
        Directory.CreateDirectory(secret);
        await File.WriteAllTextAsync(Path.Join(secret, "AWS_ACCESS_KEY_ID"), "AKIDTESTFROMSECRET\n");
        await File.WriteAllTextAsync(Path.Join(secret, "AWS_SECRET_ACCESS_KEY"), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        var environment = Environment("s3://models/single/model.onnx", Hashes.Digest(Weights));
        environment["MODEL_CREDENTIALS_DIR"] = secret;

        var result = await _run.FetchAsync(environment);

        Assert.Equal(0, result.ExitCode);
        Assert.All(_s3.Requests, r => Assert.Contains("AWS4-HMAC-SHA256 Credential=AKIDTESTFROMSECRET/", r.Authorization, StringComparison.Ordinal));
        Assert.All(_s3.Requests, r => Assert.Contains("/us-east-1/s3/aws4_request", r.Authorization, StringComparison.Ordinal));
        Assert.DoesNotContain("wJalrXUtnFEMI", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_from_the_environment_and_the_region_are_used()
    {
        _s3.RequiredAccessKeyId = "AKIDFROMENV";
        var environment = Environment("s3://models/single/model.onnx");
        environment["AWS_ACCESS_KEY_ID"] = "AKIDFROMENV";
        environment["AWS_SECRET_ACCESS_KEY"] = "secret";
        environment["AWS_REGION"] = "eu-central-1";

        var result = await _run.FetchAsync(environment);

        Assert.Equal(0, result.ExitCode);
        Assert.All(_s3.Requests, r => Assert.Contains("/eu-central-1/s3/aws4_request", r.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_credentials_requests_are_anonymous()
    {
        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx"));

        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(_s3.Requests);
        Assert.All(_s3.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task A_store_that_refuses_anonymous_requests_is_unauthorized()
    {
        _s3.RequiredAccessKeyId = "AKIDSOMEONE";

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Unauthorized: s3://models/single/model.onnx: AccessDenied (HTTP 403)", result.Termination);
    }

    [Fact]
    public async Task A_forbidden_object_is_unauthorized()
    {
        _s3.Forbidden.Add("single/model.onnx");

        var result = await _run.FetchAsync(Environment("s3://models/single/model.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Unauthorized: s3://models/single/model.onnx: ", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_an_object_nor_a_prefix_is_source_not_found()
    {
        var result = await _run.FetchAsync(Environment("s3://models/nothing/here.bin"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("SourceNotFound: s3://models/nothing/here.bin: no object is named so, and no object is under it", result.Termination);
    }

    [Fact]
    public async Task A_missing_bucket_is_source_not_found()
    {
        var result = await _run.FetchAsync(Environment("s3://other-bucket/"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("SourceNotFound: s3://other-bucket/: NoSuchBucket (HTTP 404)", result.Termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_climbs_out_of_the_prefix_is_refused_and_nothing_is_written()
    {
        var result = await _run.FetchAsync(Environment("s3://models/evil/"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("UnsafeContent: s3://models/evil/: the key \"evil/../../outside.bin\" names the path", result.Termination, StringComparison.Ordinal);
        Assert.Empty(_run.Files());
        Assert.False(File.Exists(_run.Folder.Join("outside.bin")));
    }

    [Fact]
    public async Task A_prefix_above_the_limit_is_too_large_before_any_download()
    {
        var environment = Environment("s3://models/resnet/v2/");
        environment["MODEL_MAX_BYTES"] = "100000";

        var result = await _run.FetchAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("TooLarge: s3://models/resnet/v2/ holds ", result.Termination, StringComparison.Ordinal);
        Assert.DoesNotContain(_s3.Requests, r => r.Method == "GET" && !r.Target.Contains("list-type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_pin_on_a_prefix_is_a_digest_mismatch()
    {
        var pinned = "sha256:" + new string('f', 64);

        var result = await _run.FetchAsync(Environment("s3://models/resnet/v2/", pinned));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"DigestMismatch: expected {pinned} actual sha256:", result.Termination, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment(string uri, string? digest = null)
    {
        var environment = _run.Environment(uri, digest);
        environment["S3_ENDPOINT"] = _s3.Endpoint.ToString();
        return environment;
    }
}
