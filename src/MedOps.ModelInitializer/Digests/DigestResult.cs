namespace MedOps.ModelInitializer.Digests;

/// <summary>A digest and what it covers.</summary>
/// <param name="Digest"><c>sha256:…</c>.</param>
/// <param name="Files">How many regular files it covers.</param>
/// <param name="Bytes">Their total size.</param>
internal sealed record DigestResult(string Digest, int Files, long Bytes);
