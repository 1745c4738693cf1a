using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces;
using MedOps.Controllers.Workspaces.Validation;

namespace MedOps.Controllers.Tests.Workspaces;

public class WorkspaceValidatorTests
{
    public static TheoryData<string, Action<V1Alpha1Workspace>, string?> Cases => new()
    {
        { "valid", _ => { }, null },
        { "http only", w => w.Spec.Image = new WorkspaceImage { Http = "https://images.example/u.qcow2" }, null },
        { "pvc only", w => w.Spec.Image = new WorkspaceImage { Pvc = new PvcImageSource { Namespace = "golden", Name = "u" } }, null },
        { "no source", w => w.Spec.Image = new WorkspaceImage(), WorkspaceReasons.InvalidImageSource },
        { "empty container disk", w => w.Spec.Image = new WorkspaceImage { ContainerDisk = "" }, WorkspaceReasons.InvalidImageSource },
        { "two sources", w => w.Spec.Image.Http = "https://images.example/u.qcow2", WorkspaceReasons.InvalidImageSource },
        { "three sources", w => w.Spec.Image = new WorkspaceImage { ContainerDisk = "a", Http = "https://b", Pvc = new PvcImageSource { Namespace = "c", Name = "d" } }, WorkspaceReasons.InvalidImageSource },
        { "bad memory", w => w.Spec.Memory = "lots", WorkspaceReasons.InvalidResources },
        { "zero memory", w => w.Spec.Memory = "0", WorkspaceReasons.InvalidResources },
        { "bad disk", w => w.Spec.Disk.Size = "20 Gi", WorkspaceReasons.InvalidResources },
        { "negative disk", w => w.Spec.Disk.Size = "-1Gi", WorkspaceReasons.InvalidResources },
        { "dotted name", w => w.Metadata.Name = "dr.smith", WorkspaceReasons.InvalidName },
        { "long name", w => w.Metadata.Name = new string('a', 64), WorkspaceReasons.InvalidName },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_spec_gets_its_reason(string name, Action<V1Alpha1Workspace> change, string? reason)
    {
        var workspace = TestWorkspaces.DrSmith();
        change(workspace);

        var problem = WorkspaceValidator.Validate(workspace);

        Assert.True(reason == problem?.Reason, $"{name}: expected {reason ?? "no problem"}, got {problem?.Reason ?? "none"}");
        if (problem is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        }
    }

    [Fact]
    public void Two_sources_are_named_in_the_message()
    {
        var workspace = TestWorkspaces.DrSmith(s => s.Image.Http = "https://x");

        Assert.Contains("containerDisk and http", WorkspaceValidator.Validate(workspace)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20Gi", "20Gi", null)]
    [InlineData("30Gi", "20Gi", null)]
    [InlineData("20480Mi", "20Gi", null)]
    [InlineData("10Gi", "20Gi", WorkspaceReasons.DiskShrinkRefused)]
    [InlineData("19Gi", "20Gi", WorkspaceReasons.DiskShrinkRefused)]
    public void A_smaller_disk_than_the_existing_one_is_refused(string wanted, string existing, string? reason)
    {
        var workspace = TestWorkspaces.DrSmith(s => s.Disk.Size = wanted);

        Assert.Equal(reason, WorkspaceReconciler.CheckDiskShrink(workspace, null, TestWorkspaces.Disk("Succeeded", existing))?.Reason);
    }

    [Fact]
    public void Without_a_disk_yet_any_size_is_fine()
    {
        Assert.Null(WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "1Gi"), null, null));
    }
}
