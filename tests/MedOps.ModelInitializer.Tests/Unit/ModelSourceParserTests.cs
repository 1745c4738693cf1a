using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class ModelSourceParserTests
{
    [Fact]
    public void Https_names_the_file_after_the_last_path_element_without_the_query()
    {
        var source = Assert.IsType<HttpSource>(ModelSourceParser.Parse("https://models.example/v2/resnet%2050.onnx?X-Amz-Signature=abc"));

        Assert.Equal("resnet 50.onnx", source.FileName);
        Assert.Equal("https://models.example/v2/resnet%2050.onnx", source.Display);
        Assert.Equal("X-Amz-Signature=abc", source.Url.Query.TrimStart('?'));
    }

    [Fact]
    public void Http_is_accepted_for_stores_inside_the_cluster()
    {
        var source = Assert.IsType<HttpSource>(ModelSourceParser.Parse("http://minio.storage:9000/m/model.bin"));

        Assert.Equal("model.bin", source.FileName);
    }

    [Theory]
    [InlineData("s3://bucket/models/resnet/", "bucket", "models/resnet/")]
    [InlineData("s3://bucket/models/model.onnx", "bucket", "models/model.onnx")]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://my.bucket-1/a", "my.bucket-1", "a")]
    public void S3_splits_bucket_and_key(string uri, string bucket, string key)
    {
        var source = Assert.IsType<S3Source>(ModelSourceParser.Parse(uri));

        Assert.Equal(bucket, source.Bucket);
        Assert.Equal(key, source.Key);
    }

    [Fact]
    public void Gs_splits_bucket_and_object()
    {
        var source = Assert.IsType<GcsSource>(ModelSourceParser.Parse("gs://public-models/bert/base/"));

        Assert.Equal("public-models", source.Bucket);
        Assert.Equal("bert/base/", source.ObjectName);
        Assert.Equal("gs://public-models/bert/base/", source.Display);
    }

    [Theory]
    [InlineData("pvc://models/resnet/v2", "models", "resnet/v2")]
    [InlineData("pvc://models/resnet/", "models", "resnet")]
    [InlineData("pvc://models", "models", "")]
    public void Pvc_splits_claim_and_path(string uri, string claim, string path)
    {
        var source = Assert.IsType<PvcSource>(ModelSourceParser.Parse(uri));

        Assert.Equal(claim, source.Claim);
        Assert.Equal(path, source.Path);
    }

    [Theory]
    [InlineData(null, "MODEL_URI is not set")]
    [InlineData("", "MODEL_URI is not set")]
    [InlineData("ftp://host/model.bin", "unsupported scheme")]
    [InlineData("S3://bucket/key", "unsupported scheme")]
    [InlineData("s3:///key", "names no valid bucket")]
    [InlineData("gs://bucket?x/y", "names no valid bucket")]
    [InlineData("https://host/models/", "names no file")]
    [InlineData("https://host", "names no file")]
    [InlineData("https://host/a/..", "names no file")]
    [InlineData("https://host/a/%2E%2E", "names no file")]
    [InlineData("https://host/a/x%2Fy", "names no file")]
    [InlineData("https://user:password@host/model.bin", "carries credentials")]
    [InlineData("https://host/model bin", "blanks or control characters")]
    [InlineData("pvc:///path", "names no claim")]
    [InlineData("pvc://claim/a/../b", "must stay inside the claim")]
    [InlineData("pvc://claim/a//b", "must stay inside the claim")]
    public void A_malformed_uri_is_an_invalid_source(string? uri, string message)
    {
        var failure = Assert.Throws<FetchFailure>(() => ModelSourceParser.Parse(uri));

        Assert.Equal(FailureReason.InvalidSource, failure.Reason);
        Assert.Contains(message, failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_a_url_are_not_repeated_in_the_message()
    {
        var failure = Assert.Throws<FetchFailure>(() => ModelSourceParser.Parse("https://alice:hunter2@host/model.bin"));

        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
    }
}
