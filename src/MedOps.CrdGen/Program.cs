using MedOps.CrdGen;

// Usage: MedOps.CrdGen <output-folder>...   (make crds passes crds and charts/medops/crds)
if (args.Length == 0 || args.Any(a => a.StartsWith('-')))
{
    Console.Error.WriteLine("usage: MedOps.CrdGen <output-folder>...  writes the MedOps CRDs into each folder");
    return 2;
}

var files = CrdGenerator.Generate();
foreach (var directory in args)
{
    var changed = CrdDirectory.Write(directory, files);
    Console.WriteLine($"{directory}: {files.Count} CRDs, {(changed.Count == 0 ? "unchanged" : $"{changed.Count} file(s) changed")}");
}
return 0;
