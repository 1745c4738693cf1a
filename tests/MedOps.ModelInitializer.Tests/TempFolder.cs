namespace MedOps.ModelInitializer.Tests;

/// <summary>A folder under the temp directory, deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Join(System.IO.Path.GetTempPath(), "medops-mi-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="content"/> at <paramref name="relative"/>, creating folders; returns the full path.</summary>
    public string Write(string relative, byte[] content)
    {
        var full = System.IO.Path.Join(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Join(string relative) => System.IO.Path.Join(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test: the temp folder is cleaned by the machine.
        }
    }
}
