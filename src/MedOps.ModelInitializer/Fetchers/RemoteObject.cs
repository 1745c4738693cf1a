namespace MedOps.ModelInitializer.Fetchers;

/// <summary>An object of a bucket, as a listing names it.</summary>
internal sealed record RemoteObject(string Key, long Size);
