namespace MedOps.ModelInitializer.Digests;

/// <summary>A regular file of a model folder.</summary>
/// <param name="RelativePath">Its path under the folder: '/' separators, NFC; a link's own path when reached through a link.</param>
/// <param name="FullPath">The real path of its content.</param>
/// <param name="Length">Its size in bytes.</param>
internal sealed record TreeFile(string RelativePath, string FullPath, long Length);
