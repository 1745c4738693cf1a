namespace MedOps.ModelInitializer.Fetchers;

/// <summary>An object to download, and where to under <c>MODEL_DIR</c>.</summary>
internal sealed record PlannedFile(string Key, string RelativePath, long Size);
