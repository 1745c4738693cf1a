using k8s.Models;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces;

namespace MedOps.Controllers.Tests.Workspaces;

/// <summary>
/// Disk growth decided from the workspace's <c>disk.size</c> and its root disk's claim: grow the
/// claim, wait for the storage, or nothing; and the shrink check that reads the grown claim.
/// </summary>
public class DiskGrowthTests
{
    private static DiskGrowthPlan Plan(string size, V1PersistentVolumeClaim? claim) =>
        DiskGrowth.Plan(TestWorkspaces.DrSmith(s => s.Disk.Size = size), claim);

    private static decimal Bytes(string? quantity) =>
        KubernetesQuantity.TryParse(quantity, out _, out var value) ? value : throw new InvalidOperationException($"not a quantity: {quantity}");

    [Fact]
    public void The_claim_is_named_after_the_data_volume()
    {
        Assert.Equal("dr-smith-rootdisk", DiskGrowth.ClaimName(TestWorkspaces.Name));
    }

    [Fact]
    public void Without_a_claim_nothing_is_known()
    {
        var plan = Plan("40Gi", null);

        Assert.Equal(DiskGrowthPlan.None, plan);
        Assert.Equal(new DiskGrowthPlan(null, null, null), plan);
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_claim_without_a_storage_request_is_like_no_claim()
    {
        var claim = TestWorkspaces.RootClaim("20Gi");
        claim.Spec.Resources.Requests = new Dictionary<string, ResourceQuantity>();

        Assert.Equal(DiskGrowthPlan.None, Plan("40Gi", claim));
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Lost")]
    [InlineData(null)]
    public void A_claim_that_is_not_bound_is_not_grown_and_has_no_capacity(string? phase)
    {
        var claim = TestWorkspaces.RootClaim("20Gi", phase: phase);
        // Even a stale capacity of a claim that is not Bound is not reported.
        claim.Status ??= new V1PersistentVolumeClaimStatus { Phase = phase };
        claim.Status.Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") };

        var plan = Plan("40Gi", claim);

        Assert.Null(plan.ExpandTo);
        Assert.Equal("20Gi", plan.Requested);
        Assert.Null(plan.Capacity);
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_disk_size_above_the_bound_claim_s_request_expands_the_claim_to_it()
    {
        var plan = Plan("40Gi", TestWorkspaces.RootClaim("20Gi"));

        Assert.Equal(new DiskGrowthPlan("40Gi", "20Gi", "20Gi"), plan);
        // Not resizing yet: the claim has not been asked.
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void The_expansion_keeps_the_spelling_of_the_spec()
    {
        var plan = Plan("50000Mi", TestWorkspaces.RootClaim("20Gi"));

        Assert.Equal("50000Mi", plan.ExpandTo);
    }

    [Fact]
    public void A_disk_size_equal_to_the_request_does_nothing()
    {
        var plan = Plan("20Gi", TestWorkspaces.RootClaim("20Gi"));

        Assert.Equal(new DiskGrowthPlan(null, "20Gi", "20Gi"), plan);
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_disk_size_below_the_request_does_not_expand_the_claim()
    {
        // The shrink is refused elsewhere (CheckDiskShrink, and admission); the claim is left alone.
        var plan = Plan("10Gi", TestWorkspaces.RootClaim("20Gi"));

        Assert.Null(plan.ExpandTo);
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_request_above_the_capacity_is_resizing_until_the_storage_catches_up()
    {
        var growing = Plan("40Gi", TestWorkspaces.RootClaim("40Gi", capacity: "20Gi"));

        Assert.Equal(new DiskGrowthPlan(null, "40Gi", "20Gi"), growing);
        Assert.True(growing.Resizing);

        var grown = Plan("40Gi", TestWorkspaces.RootClaim("40Gi", capacity: "40Gi"));

        Assert.False(grown.Resizing);
    }

    [Fact]
    public void A_capacity_above_the_request_is_not_resizing()
    {
        // Storage rounds up (a 20Gi request on a backend with 8Gi extents, for example).
        Assert.False(Plan("20Gi", TestWorkspaces.RootClaim("20Gi", capacity: "24Gi")).Resizing);
    }

    [Theory]
    [InlineData("20Gi", "21474836480")]
    [InlineData("21474836480", "20Gi")]
    [InlineData("20480Mi", "20Gi")]
    public void The_same_size_in_another_unit_is_not_a_growth(string size, string request)
    {
        var plan = Plan(size, TestWorkspaces.RootClaim(request));

        Assert.Null(plan.ExpandTo);
        Assert.Equal(Bytes(request), Bytes(plan.Requested));
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_capacity_in_another_unit_equal_to_the_request_is_not_resizing()
    {
        var plan = Plan("20Gi", TestWorkspaces.RootClaim("20Gi", capacity: "21474836480"));

        Assert.Null(plan.ExpandTo);
        Assert.False(plan.Resizing);
    }

    [Fact]
    public void A_decimal_size_above_a_binary_request_of_fewer_digits_is_a_growth()
    {
        // 25G = 25,000,000,000 bytes > 20Gi = 21,474,836,480 bytes.
        Assert.Equal("25G", Plan("25G", TestWorkspaces.RootClaim("20Gi")).ExpandTo);
        // 21G = 21,000,000,000 bytes < 20Gi.
        Assert.Null(Plan("21G", TestWorkspaces.RootClaim("20Gi")).ExpandTo);
    }

    [Fact]
    public void A_disk_size_that_is_not_a_quantity_expands_nothing()
    {
        Assert.Null(Plan("big", TestWorkspaces.RootClaim("20Gi")).ExpandTo);
    }

    [Theory]
    // expandTo, requested, capacity → resizing
    [InlineData(null, "40Gi", "20Gi", true)]
    [InlineData(null, "40Gi", "40Gi", false)]
    [InlineData(null, "40Gi", null, false)]
    [InlineData(null, null, "20Gi", false)]
    [InlineData("60Gi", "40Gi", "20Gi", false)]
    [InlineData(null, "lots", "20Gi", false)]
    [InlineData(null, "42949672960", "40Gi", false)]
    public void Resizing_means_the_storage_has_not_caught_up_with_a_request_already_made(string? expandTo, string? requested, string? capacity, bool resizing)
    {
        Assert.Equal(resizing, new DiskGrowthPlan(expandTo, requested, capacity).Resizing);
    }

    [Fact]
    public void Request_and_capacity_are_read_from_the_storage_entries()
    {
        var claim = TestWorkspaces.RootClaim("40Gi", capacity: "20Gi");

        Assert.Equal("40Gi", DiskGrowth.RequestOf(claim));
        Assert.Equal("20Gi", DiskGrowth.CapacityOf(claim));
        Assert.Null(DiskGrowth.RequestOf(null));
        Assert.Null(DiskGrowth.CapacityOf(null));
        Assert.Null(DiskGrowth.CapacityOf(TestWorkspaces.RootClaim("40Gi", phase: null)));
    }

    [Fact]
    public void The_shrink_check_uses_the_claim_s_request_when_the_claim_grew_beyond_the_data_volume()
    {
        var workspace = TestWorkspaces.DrSmith(s => s.Disk.Size = "30Gi");

        var problem = WorkspaceReconciler.CheckDiskShrink(workspace, null, TestWorkspaces.Disk("Succeeded", size: "20Gi"), TestWorkspaces.RootClaim("40Gi"));

        Assert.NotNull(problem);
        Assert.Equal(WorkspaceReasons.DiskShrinkRefused, problem.Reason);
        Assert.Contains("(40Gi)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Set disk.size to 40Gi or more", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shrink_check_allows_the_claim_s_size_and_more()
    {
        var disk = TestWorkspaces.Disk("Succeeded", size: "20Gi");

        Assert.Null(WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"), null, disk, TestWorkspaces.RootClaim("40Gi")));
        Assert.Null(WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "42949672960"), null, disk, TestWorkspaces.RootClaim("40Gi")));
        Assert.Null(WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "60Gi"), null, disk, TestWorkspaces.RootClaim("40Gi")));
    }

    [Fact]
    public void Without_a_claim_the_shrink_check_reads_the_data_volume_as_before()
    {
        var disk = TestWorkspaces.Disk("Succeeded", size: "20Gi");

        Assert.Null(WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "30Gi"), null, disk));
        Assert.Equal(WorkspaceReasons.DiskShrinkRefused,
            WorkspaceReconciler.CheckDiskShrink(TestWorkspaces.DrSmith(s => s.Disk.Size = "10Gi"), null, disk, null)?.Reason);
    }

    [Fact]
    public void A_root_disk_claim_maps_to_its_workspace()
    {
        var claim = TestWorkspaces.RootClaim("20Gi");

        Assert.Equal([new MedOps.Runtime.Informers.ObjectKey(TestWorkspaces.Namespace, TestWorkspaces.Name)], WorkspaceInformers.WorkspaceOf(claim));
    }

    [Fact]
    public void A_claim_without_the_workspace_label_or_with_another_name_maps_to_nothing()
    {
        var unlabelled = TestWorkspaces.RootClaim("20Gi");
        unlabelled.Metadata.Labels.Remove("medops.io/workspace");
        var other = TestWorkspaces.RootClaim("20Gi");
        // A data disk of the same workspace, or any claim a user labelled: not the root disk.
        other.Metadata.Name = "dr-smith-scratch";
        var bare = TestWorkspaces.RootClaim("20Gi");
        bare.Metadata.Labels = null;

        Assert.Empty(WorkspaceInformers.WorkspaceOf(unlabelled));
        Assert.Empty(WorkspaceInformers.WorkspaceOf(other));
        Assert.Empty(WorkspaceInformers.WorkspaceOf(bare));
    }
}
