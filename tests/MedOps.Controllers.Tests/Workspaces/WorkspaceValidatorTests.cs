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
        { "full lifecycle", w => w.Spec.Lifecycle = Lifecycle("12h30m", "15m", OfficeHours("America/New_York")), null },
        { "empty lifecycle", w => w.Spec.Lifecycle = new WorkspaceLifecycle(), null },
        { "no warning", w => w.Spec.Lifecycle = Lifecycle("8h", "0s"), null },
        { "session in words", w => w.Spec.Lifecycle = Lifecycle("8 hours"), WorkspaceReasons.InvalidLifecycle },
        { "zero session", w => w.Spec.Lifecycle = Lifecycle("0s"), WorkspaceReasons.InvalidLifecycle },
        { "negative session", w => w.Spec.Lifecycle = Lifecycle("-8h"), WorkspaceReasons.InvalidLifecycle },
        { "warning in words", w => w.Spec.Lifecycle = Lifecycle(warning: "soon"), WorkspaceReasons.InvalidLifecycle },
        { "empty warning", w => w.Spec.Lifecycle = Lifecycle(warning: ""), WorkspaceReasons.InvalidLifecycle },
        { "negative warning", w => w.Spec.Lifecycle = Lifecycle(warning: "-10m"), WorkspaceReasons.InvalidLifecycle },
        { "unknown zone", w => w.Spec.Lifecycle = Lifecycle(hours: OfficeHours("Mars/Olympus_Mons")), WorkspaceReasons.InvalidLifecycle },
        { "bad start", w => w.Spec.Lifecycle = Lifecycle(hours: new WorkspaceActiveHours { Start = "7am", End = "19:00" }), WorkspaceReasons.InvalidLifecycle },
        { "bad end", w => w.Spec.Lifecycle = Lifecycle(hours: new WorkspaceActiveHours { Start = "07:00", End = "24:00" }), WorkspaceReasons.InvalidLifecycle },
    };

    private static WorkspaceLifecycle Lifecycle(string? maxSession = null, string warning = WorkspaceLifecycle.DefaultShutdownWarning, WorkspaceActiveHours? hours = null) =>
        new() { MaxSessionDuration = maxSession, ShutdownWarning = warning, ActiveHours = hours };

    private static WorkspaceActiveHours OfficeHours(string zone = "Europe/Berlin") => new() { Start = "07:00", End = "19:00", TimeZone = zone };

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

    public static TheoryData<string, WorkspaceLifecycle, string, string> LifecycleProblems => new()
    {
        { "session in words", Lifecycle("8 hours"), "spec.lifecycle.maxSessionDuration", "spec.lifecycle.maxSessionDuration \"8 hours\" is not a positive Go duration such as 8h or 12h30m." },
        { "zero session", Lifecycle("0s"), "spec.lifecycle.maxSessionDuration", "spec.lifecycle.maxSessionDuration \"0s\" is not a positive Go duration such as 8h or 12h30m." },
        { "warning in words", Lifecycle("8h", "soon"), "spec.lifecycle.shutdownWarning", "spec.lifecycle.shutdownWarning \"soon\" is not a Go duration such as 10m." },
        { "negative warning", Lifecycle(warning: "-10m"), "spec.lifecycle.shutdownWarning", "spec.lifecycle.shutdownWarning \"-10m\" is not a Go duration such as 10m." },
        {
            "unknown zone", Lifecycle(hours: OfficeHours("Mars/Olympus_Mons")), "spec.lifecycle.activeHours.timeZone",
            "spec.lifecycle.activeHours.timeZone \"Mars/Olympus_Mons\" is not a known IANA time zone such as Europe/Berlin or America/New_York."
        },
        {
            "bad start", Lifecycle(hours: new WorkspaceActiveHours { Start = "7am", End = "19:00" }), "spec.lifecycle.activeHours.start",
            "spec.lifecycle.activeHours.start \"7am\" is not a time HH:MM such as 07:00."
        },
        {
            "bad end", Lifecycle(hours: new WorkspaceActiveHours { Start = "07:00", End = "7pm" }), "spec.lifecycle.activeHours.end",
            "spec.lifecycle.activeHours.end \"7pm\" is not a time HH:MM such as 19:00."
        },
    };

    [Theory]
    [MemberData(nameof(LifecycleProblems))]
    public void A_lifecycle_problem_names_its_field(string name, WorkspaceLifecycle lifecycle, string field, string message)
    {
        var problem = WorkspaceValidator.Validate(TestWorkspaces.DrSmith(s => s.Lifecycle = lifecycle));

        Assert.NotNull(problem);
        Assert.Equal((WorkspaceReasons.InvalidLifecycle, field, message), (problem.Reason, problem.Field, problem.Message));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_lifecycle_problem_is_reported_with_the_other_problems()
    {
        var workspace = TestWorkspaces.DrSmith(s =>
        {
            s.Memory = "lots";
            s.Lifecycle = Lifecycle("forever");
        });

        Assert.Equal([WorkspaceReasons.InvalidResources, WorkspaceReasons.InvalidLifecycle], WorkspaceValidator.Problems(workspace).Select(p => p.Reason));
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

    [Fact]
    public void A_toleration_without_key_needs_exists()
    {
        var problem = WorkspaceValidator.Validate(TestWorkspaces.DrSmith(s => s.Tolerations = [new k8s.Models.V1Toleration { Effect = "NoSchedule" }]));

        Assert.Equal((WorkspaceReasons.InvalidScheduling, "spec.tolerations[0].operator"), (problem?.Reason, problem?.Field));
    }
}
