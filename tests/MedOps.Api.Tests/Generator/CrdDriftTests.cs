using MedOps.CrdGen;
using MedOps.Testing;

namespace MedOps.Api.Tests.Generator;

/// <summary>
/// The committed CRDs are exactly what the generator makes from the C# types (cert-manager's
/// verify step): a changed type without regenerated CRDs fails here, not in a cluster.
/// </summary>
public sealed class CrdDriftTests
{
    [Theory]
    [InlineData("crds")]
    [InlineData("charts/medops/crds")]
    public void The_committed_crds_match_the_api_types(string folder)
    {
        var directory = Path.Combine(RepositoryLayout.Root, folder);
        var generated = CrdGenerator.Generate();

        var problems = new List<string>();
        foreach (var file in generated)
        {
            var path = Path.Combine(directory, file.FileName);
            if (!File.Exists(path))
            {
                problems.Add($"{folder}/{file.FileName} is missing");
            }
            else if (File.ReadAllText(path) != file.Content)
            {
                problems.Add($"{folder}/{file.FileName} differs from the generated one");
            }
        }
        problems.AddRange(CrdDirectory.StaleFiles(directory, generated).Select(stale => $"{folder}/{Path.GetFileName(stale)} is no longer generated"));

        Assert.True(problems.Count == 0, $"The CRDs are out of date with the C# API types: run make crds and commit the result.\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void Generating_twice_gives_the_same_bytes()
    {
        Assert.Equal(CrdGenerator.Generate(), CrdGenerator.Generate());
    }
}
