using MedOps.CrdGen;

namespace MedOps.Api.Tests.Generator;

public sealed class CrdDirectoryTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "medops-crds-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Writing_creates_the_folder_then_reports_nothing_changed_on_a_second_run()
    {
        var files = CrdGenerator.Generate();

        var first = CrdDirectory.Write(directory, files);
        var second = CrdDirectory.Write(directory, files);

        Assert.Equal(files.Count, first.Count);
        Assert.Empty(second);
        Assert.All(files, f => Assert.Equal(f.Content, File.ReadAllText(Path.Combine(directory, f.FileName))));
    }

    [Fact]
    public void Writing_removes_crds_of_the_group_that_are_no_longer_generated_and_keeps_other_files()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "medops.io_oldkinds.yaml"), "stale");
        File.WriteAllText(Path.Combine(directory, "other.io_things.yaml"), "someone else's");

        CrdDirectory.Write(directory, CrdGenerator.Generate());

        Assert.False(File.Exists(Path.Combine(directory, "medops.io_oldkinds.yaml")));
        Assert.True(File.Exists(Path.Combine(directory, "other.io_things.yaml")));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
