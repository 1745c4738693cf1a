using MedOps.ModelInitializer.Configuration;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class FetchSettingsTests
{
    [Fact]
    public void Only_the_uri_is_required_and_the_rest_has_defaults()
    {
        var settings = FetchSettings.Read(new Dictionary<string, string> { ["MODEL_URI"] = "s3://b/k" });

        Assert.Equal(new S3Source("b", "k"), settings.Source);
        Assert.Null(settings.Digest);
        Assert.Equal("/mnt/models", settings.ModelDir);
        Assert.Equal(50L * 1024 * 1024 * 1024, settings.MaxBytes);
        Assert.Null(settings.CredentialsDir);
        Assert.Null(settings.S3Endpoint);
        Assert.Equal(new Uri("https://storage.googleapis.com"), settings.GcsEndpoint);
        Assert.Equal("us-east-1", settings.Region);
        Assert.Equal("/dev/termination-log", FetchSettings.TerminationLog(new Dictionary<string, string>()));
    }

    [Fact]
    public void Every_setting_is_read()
    {
        var digest = "sha256:" + new string('a', 64);
        var settings = FetchSettings.Read(new Dictionary<string, string>
        {
            ["MODEL_URI"] = "gs://b/o",
            ["MODEL_DIGEST"] = digest,
            ["MODEL_DIR"] = "/models",
            ["MODEL_MAX_BYTES"] = "2Gi",
            ["MODEL_CREDENTIALS_DIR"] = "/secrets",
            ["S3_ENDPOINT"] = "http://minio:9000",
            ["GCS_ENDPOINT"] = "http://127.0.0.1:4443",
            ["AWS_REGION"] = "eu-west-1",
        });

        Assert.Equal(digest, settings.Digest);
        Assert.Equal("/models", settings.ModelDir);
        Assert.Equal(2L << 30, settings.MaxBytes);
        Assert.Equal("/secrets", settings.CredentialsDir);
        Assert.Equal(new Uri("http://minio:9000"), settings.S3Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:4443"), settings.GcsEndpoint);
        Assert.Equal("eu-west-1", settings.Region);
    }

    [Fact]
    public void Empty_values_count_as_unset()
    {
        var settings = FetchSettings.Read(new Dictionary<string, string> { ["MODEL_URI"] = "pvc://c", ["MODEL_DIGEST"] = "", ["MODEL_DIR"] = "" });

        Assert.Null(settings.Digest);
        Assert.Equal("/mnt/models", settings.ModelDir);
    }

    [Theory]
    [InlineData("MODEL_DIGEST", "sha256:ABC", "MODEL_DIGEST")]
    [InlineData("MODEL_DIGEST", "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "lower-case")]
    [InlineData("MODEL_DIGEST", "md5:d41d8cd98f00b204e9800998ecf8427e", "MODEL_DIGEST")]
    [InlineData("MODEL_MAX_BYTES", "-1", "MODEL_MAX_BYTES")]
    [InlineData("MODEL_MAX_BYTES", "10 GB", "MODEL_MAX_BYTES")]
    [InlineData("S3_ENDPOINT", "minio:9000", "S3_ENDPOINT")]
    [InlineData("GCS_ENDPOINT", "ftp://x", "GCS_ENDPOINT")]
    public void A_malformed_setting_is_an_invalid_source(string name, string value, string message)
    {
        var environment = new Dictionary<string, string> { ["MODEL_URI"] = "s3://b/k", [name] = value };

        var failure = Assert.Throws<FetchFailure>(() => FetchSettings.Read(environment));

        Assert.Equal(FailureReason.InvalidSource, failure.Reason);
        Assert.Contains(message, failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("1073741824", 1L << 30)]
    [InlineData("50Gi", 50L << 30)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("2Ti", 2L << 40)]
    [InlineData("10G", 10_000_000_000L)]
    [InlineData("3K", 3_000L)]
    public void Byte_counts_take_kubernetes_suffixes(string text, long bytes) => Assert.Equal(bytes, ByteSizes.TryParse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("Gi")]
    [InlineData("1.5Gi")]
    [InlineData("99999999999Ti")]
    public void Other_byte_counts_are_refused(string text) => Assert.Null(ByteSizes.TryParse(text));

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(50L << 30, "50.0 GiB")]
    public void Byte_counts_read_well_in_logs(long bytes, string text) => Assert.Equal(text, ByteSizes.Format(bytes));
}
