namespace MedOps.ModelInitializer.Sources;

/// <summary>Where a model comes from: <c>MODEL_URI</c> parsed by <see cref="ModelSourceParser"/>.</summary>
internal abstract record ModelSource
{
    /// <summary>The URI for logs and messages, without a query string (which may hold a presigned URL's signature).</summary>
    public abstract string Display { get; }
}

/// <summary><c>https://…</c> or <c>http://…</c>: one file, saved under <paramref name="FileName"/>.</summary>
internal sealed record HttpSource(Uri Url, string FileName) : ModelSource
{
    /// <inheritdoc/>
    public override string Display => Url.GetLeftPart(UriPartial.Path);
}

/// <summary><c>s3://bucket/key</c>: an object, or a prefix (a key ending with '/', or one that names a "folder").</summary>
internal sealed record S3Source(string Bucket, string Key) : ModelSource
{
    /// <inheritdoc/>
    public override string Display => $"s3://{Bucket}/{Key}";
}

/// <summary><c>gs://bucket/object</c>: an object, or a prefix, as for <see cref="S3Source"/>.</summary>
internal sealed record GcsSource(string Bucket, string ObjectName) : ModelSource
{
    /// <inheritdoc/>
    public override string Display => $"gs://{Bucket}/{ObjectName}";
}

/// <summary><c>pvc://claim/path</c>: the claim's path is already mounted at <c>MODEL_DIR</c>; nothing to fetch.</summary>
internal sealed record PvcSource(string Claim, string Path) : ModelSource
{
    /// <inheritdoc/>
    public override string Display => Path.Length == 0 ? $"pvc://{Claim}" : $"pvc://{Claim}/{Path}";
}
