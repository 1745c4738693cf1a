namespace MedOps.CrdGen;

/// <summary>One generated CRD manifest: its file name and its exact text.</summary>
public sealed record GeneratedFile(string FileName, string Content);
