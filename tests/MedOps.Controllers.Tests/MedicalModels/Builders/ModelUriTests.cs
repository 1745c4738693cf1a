using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelUriTests
{
    [Theory]
    [InlineData("pvc://models/chest-xray/1.4.0", "models", "chest-xray/1.4.0")]
    [InlineData("pvc://models/chest-xray/1.4.0/", "models", "chest-xray/1.4.0")]
    [InlineData("pvc://model-store.v2/a", "model-store.v2", "a")]
    [InlineData("pvc://models", "models", "")]
    [InlineData("pvc://models/", "models", "")]
    [InlineData("pvc://models/a..b/c", "models", "a..b/c")]
    public void A_pvc_uri_gives_the_claim_and_the_path_inside_it(string uri, string claim, string path)
    {
        Assert.True(ModelUri.TryParse(uri, out var parsed, out var error), error);

        Assert.Equal(ModelUriScheme.Pvc, parsed.Scheme);
        Assert.Equal(uri, parsed.Uri);
        Assert.Equal(new PvcLocation(claim, path), parsed.Pvc);
    }

    [Theory]
    [InlineData("s3://radiology-models/chest-xray/1.4.0", ModelUriScheme.S3)]
    [InlineData("s3://radiology-models", ModelUriScheme.S3)]
    [InlineData("gs://radiology-models/chest-xray/1.4.0/model.onnx", ModelUriScheme.Gcs)]
    [InlineData("https://models.hospital.example/chest-xray/1.4.0.tar.gz", ModelUriScheme.Https)]
    [InlineData("https://models.hospital.example:8443/x?version=1", ModelUriScheme.Https)]
    public void Object_storage_and_https_uris_are_downloads(string uri, ModelUriScheme scheme)
    {
        Assert.True(ModelUri.TryParse(uri, out var parsed, out var error), error);

        Assert.Equal(scheme, parsed.Scheme);
        Assert.Null(parsed.Pvc);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("pvc://", "names no claim")]
    [InlineData("pvc:///chest-xray", "names no claim")]
    [InlineData("pvc://Models/chest-xray", "\"Models\", which is not a valid claim name")]
    [InlineData("pvc://models_v2/chest-xray", "not a valid claim name")]
    [InlineData("pvc://models/../secrets", "'..'")]
    [InlineData("pvc://models/chest-xray/..", "'..'")]
    [InlineData("pvc://models/chest-xray//1.4.0", "empty path element")]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3:///key", "names no bucket")]
    [InlineData("gs://", "names no bucket")]
    [InlineData("https://", "not a valid https:// URL")]
    [InlineData("http://models.hospital.example/m", "unsupported scheme")]
    [InlineData("file:///models/m", "unsupported scheme")]
    [InlineData("S3://bucket/key", "unsupported scheme")]
    [InlineData("hf://org/model", "unsupported scheme")]
    [InlineData("models/chest-xray", "unsupported scheme")]
    [InlineData("pvc://models/chest xray", "blanks")]
    [InlineData("s3://bucket/key\n", "blanks")]
    public void Anything_else_is_refused_with_what_to_fix(string? uri, string expected)
    {
        Assert.False(ModelUri.TryParse(uri, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_scheme_lists_the_supported_ones()
    {
        Assert.False(ModelUri.TryParse("ftp://x/y", out _, out var error));

        Assert.Contains("pvc://<claim>/<path>, s3://<bucket>/<key>, gs://<bucket>/<object> or https://<host>/<path>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolved_source_keeps_the_uri_the_digest_and_the_claim()
    {
        Assert.True(ResolvedModelSource.TryCreate("pvc://models/chest-xray/1.4.0", TestModels.Digest, out var source, out _));

        Assert.Equal(new ResolvedModelSource("pvc://models/chest-xray/1.4.0", TestModels.Digest, new PvcLocation("models", "chest-xray/1.4.0")), source);
        Assert.False(source.IsDownloaded);
    }

    [Fact]
    public void A_resolved_download_has_no_claim_and_an_empty_digest_counts_as_none()
    {
        Assert.True(ResolvedModelSource.TryCreate("s3://bucket/key", "", out var source, out _));

        Assert.Null(source.Pvc);
        Assert.Null(source.Digest);
        Assert.True(source.IsDownloaded);
    }

    [Fact]
    public void An_unparsable_uri_resolves_to_the_parser_error()
    {
        Assert.False(ResolvedModelSource.TryCreate("ftp://x", null, out var source, out var error));

        Assert.Null(source);
        Assert.Contains("unsupported scheme", error, StringComparison.Ordinal);
    }
}
