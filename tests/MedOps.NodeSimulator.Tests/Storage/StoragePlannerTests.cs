using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Storage;

namespace MedOps.NodeSimulator.Tests.Storage;

public class StoragePlannerTests
{
    private const string Uid = "0f6e2a3c-1111-2222-3333-444455556666";
    private const string VolumeName = "pvc-" + Uid;

    private static V1PersistentVolumeClaim Claim(
        string? phase = "Pending", string? storage = "10Gi", IList<string>? accessModes = null, string? storageClass = null,
        string? volumeName = null) => new()
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = "dataset", NamespaceProperty = "team-a", Uid = Uid, ResourceVersion = "7" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = accessModes ?? ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = storage is null ? null : new Dictionary<string, ResourceQuantity> { ["storage"] = new(storage) },
                },
                StorageClassName = storageClass,
                VolumeName = volumeName,
            },
            Status = phase is null ? null : new V1PersistentVolumeClaimStatus { Phase = phase },
        };

    /// <summary>Takes the claim's planned steps, applying each to the objects as the apiserver would.</summary>
    private static (V1PersistentVolumeClaim Claim, V1PersistentVolume? Volume, List<ClaimStep> Steps) Run(
        V1PersistentVolumeClaim claim, V1PersistentVolume? volume = null)
    {
        var steps = new List<ClaimStep>();
        for (var i = 0; i < 10; i++)
        {
            var step = StoragePlanner.PlanClaim(claim, volume);
            steps.Add(step);
            switch (step)
            {
                case ClaimStep.CreateVolume:
                    volume = StoragePlanner.NewVolume(claim);
                    volume.Status = new V1PersistentVolumeStatus { Phase = "Pending" };
                    break;
                case ClaimStep.MarkVolumeBound:
                    volume = StoragePlanner.WithPhase(volume!, StoragePlanner.Bound);
                    break;
                case ClaimStep.SetVolumeName:
                    claim = StoragePlanner.WithVolumeName(claim);
                    break;
                case ClaimStep.MarkClaimBound:
                    claim = StoragePlanner.WithBoundStatus(claim, volume!);
                    break;
                default:
                    return (claim, volume, steps);
            }
        }

        throw new InvalidOperationException("the planner did not settle: " + string.Join(", ", steps));
    }

    [Fact]
    public void A_pending_claim_gets_a_volume_and_both_end_bound_in_the_controllers_order()
    {
        var (claim, volume, steps) = Run(Claim());

        Assert.Equal(
            [ClaimStep.CreateVolume, ClaimStep.MarkVolumeBound, ClaimStep.SetVolumeName, ClaimStep.MarkClaimBound, ClaimStep.None],
            steps);
        Assert.Equal("Bound", volume!.Status.Phase);
        Assert.Equal(VolumeName, claim.Spec.VolumeName);
        Assert.Equal("yes", claim.Metadata.Annotations["pv.kubernetes.io/bind-completed"]);
        Assert.Equal("Bound", claim.Status.Phase);
        Assert.Equal(["ReadWriteOnce"], claim.Status.AccessModes);
        Assert.Equal("10Gi", claim.Status.Capacity["storage"].ToString());
    }

    [Theory]
    [InlineData(SimulatedStorageClass.Name)]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fast")]
    public void Claims_of_the_default_class_of_no_class_or_of_another_class_are_all_bound(string? storageClass)
    {
        // A claim created without a class gets medops-simulated from the API server's
        // DefaultStorageClass admission plugin; one created before the class existed has none.
        var (claim, volume, steps) = Run(Claim(storageClass: storageClass));

        Assert.Equal(ClaimStep.None, steps[^1]);
        Assert.Equal("Bound", claim.Status.Phase);
        Assert.Equal("Bound", volume!.Status.Phase);
        Assert.Equal(string.IsNullOrEmpty(storageClass) ? null : storageClass, volume.Spec.StorageClassName);
        Assert.Equal(VolumeName, claim.Spec.VolumeName);
    }

    [Fact]
    public void A_claim_that_has_no_phase_yet_counts_as_pending()
    {
        Assert.Equal(ClaimStep.CreateVolume, StoragePlanner.PlanClaim(Claim(phase: null), null));
    }

    [Theory]
    [InlineData("Bound", null)]
    [InlineData("Lost", null)]
    [InlineData("Pending", "someone-elses-pv")]
    public void Claims_that_are_bound_lost_or_ask_for_another_volume_are_left_alone(string phase, string? volumeName)
    {
        Assert.Equal(ClaimStep.None, StoragePlanner.PlanClaim(Claim(phase, volumeName: volumeName), null));
    }

    [Fact]
    public void A_claim_being_deleted_gets_no_volume()
    {
        var claim = Claim();
        claim.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Equal(ClaimStep.None, StoragePlanner.PlanClaim(claim, null));
    }

    [Theory]
    [InlineData("/cluster/volumes/")]
    [InlineData("/cluster/volumes")]
    public void The_host_path_is_the_claims_uid_under_the_given_root(string root)
    {
        Assert.Equal("/cluster/volumes/" + Uid, StoragePlanner.NewVolume(Claim(), root).Spec.HostPath.Path);
    }

    [Fact]
    public void The_volume_has_the_claims_size_modes_and_class_a_host_path_and_a_claim_reference()
    {
        var volume = StoragePlanner.NewVolume(Claim(storage: "250Gi", accessModes: ["ReadOnlyMany", "ReadWriteMany"], storageClass: "fast"));

        Assert.Equal(VolumeName, volume.Metadata.Name);
        Assert.Equal("true", volume.Metadata.Labels["medops.io/simulated"]);
        Assert.Equal("250Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal(["ReadOnlyMany", "ReadWriteMany"], volume.Spec.AccessModes);
        Assert.Equal("fast", volume.Spec.StorageClassName);
        Assert.Equal("Delete", volume.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("/var/lib/medops-sim/" + Uid, volume.Spec.HostPath.Path);
        Assert.Equal("DirectoryOrCreate", volume.Spec.HostPath.Type);
        var claimRef = volume.Spec.ClaimRef;
        Assert.Equal(("v1", "PersistentVolumeClaim", "team-a", "dataset", Uid),
            (claimRef.ApiVersion, claimRef.Kind, claimRef.NamespaceProperty, claimRef.Name, claimRef.Uid));
        Assert.Null(volume.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_storage_class_the_field_is_left_out(string? storageClass)
    {
        Assert.Null(StoragePlanner.NewVolume(Claim(storageClass: storageClass)).Spec.StorageClassName);
    }

    [Fact]
    public void Without_a_size_or_access_modes_the_volume_gets_1Gi_read_write_once()
    {
        var volume = StoragePlanner.NewVolume(Claim(storage: null, accessModes: []));

        Assert.Equal("1Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], volume.Spec.AccessModes);
    }

    [Fact]
    public void Building_the_volume_and_the_bound_copies_leaves_the_cached_objects_untouched()
    {
        var claim = Claim();
        var volume = StoragePlanner.NewVolume(claim);

        StoragePlanner.WithVolumeName(claim);
        StoragePlanner.WithBoundStatus(claim, volume);
        StoragePlanner.WithPhase(volume, StoragePlanner.Bound);

        Assert.Null(claim.Spec.VolumeName);
        Assert.Null(claim.Metadata.Annotations);
        Assert.Equal("Pending", claim.Status.Phase);
        Assert.Null(volume.Status);
    }

    [Fact]
    public void A_restarted_simulator_finishes_a_half_done_binding()
    {
        // Crashed after the volume was created and marked Bound, before the claim was updated.
        var claim = Claim();
        var volume = StoragePlanner.WithPhase(StoragePlanner.NewVolume(claim), StoragePlanner.Bound);

        var (bound, _, steps) = Run(claim, volume);

        Assert.Equal([ClaimStep.SetVolumeName, ClaimStep.MarkClaimBound, ClaimStep.None], steps);
        Assert.Equal("Bound", bound.Status.Phase);
    }

    [Fact]
    public void A_claim_pointing_at_our_volume_that_vanished_gets_it_again()
    {
        var claim = StoragePlanner.WithVolumeName(Claim());

        var (bound, volume, steps) = Run(claim);

        Assert.Equal(ClaimStep.CreateVolume, steps[0]);
        Assert.Equal("Bound", bound.Status.Phase);
        Assert.Equal(VolumeName, volume!.Metadata.Name);
    }

    [Fact]
    public void A_volume_of_our_name_that_we_did_not_make_is_not_ours()
    {
        var claim = Claim();
        var foreign = StoragePlanner.NewVolume(claim);
        foreign.Metadata.Labels.Clear();

        Assert.Equal(ClaimStep.NotOurs, StoragePlanner.PlanClaim(claim, foreign));
    }

    [Fact]
    public void A_volume_stays_while_its_claim_exists()
    {
        var claim = Claim(phase: "Bound");
        var volume = StoragePlanner.WithPhase(StoragePlanner.NewVolume(claim), StoragePlanner.Bound);

        Assert.Equal(VolumeStep.None, StoragePlanner.PlanVolume(volume, claim));
    }

    [Fact]
    public void A_volume_whose_claim_is_gone_is_released_then_deleted()
    {
        var volume = StoragePlanner.WithPhase(StoragePlanner.NewVolume(Claim()), StoragePlanner.Bound);

        Assert.Equal(VolumeStep.Release, StoragePlanner.PlanVolume(volume, null));

        var released = StoragePlanner.WithPhase(volume, StoragePlanner.Released);
        Assert.Equal(VolumeStep.Delete, StoragePlanner.PlanVolume(released, null));

        released.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.Equal(VolumeStep.None, StoragePlanner.PlanVolume(released, null));
    }

    [Fact]
    public void A_new_claim_of_the_same_name_does_not_keep_its_predecessors_volume()
    {
        var volume = StoragePlanner.WithPhase(StoragePlanner.NewVolume(Claim()), StoragePlanner.Bound);
        var successor = Claim();
        successor.Metadata.Uid = "another-uid";

        Assert.Equal(VolumeStep.Release, StoragePlanner.PlanVolume(volume, successor));
    }

    [Fact]
    public void Volumes_we_did_not_provision_are_never_touched()
    {
        var volume = StoragePlanner.NewVolume(Claim());
        volume.Metadata.Labels.Clear();

        Assert.Equal(VolumeStep.None, StoragePlanner.PlanVolume(volume, null));
    }

    [Fact]
    public void The_claim_key_comes_from_the_claim_reference()
    {
        Assert.Equal("team-a/dataset", StoragePlanner.ClaimKey(StoragePlanner.NewVolume(Claim())));
        Assert.Null(StoragePlanner.ClaimKey(new V1PersistentVolume { Metadata = new V1ObjectMeta(), Spec = new V1PersistentVolumeSpec() }));
    }

    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private static readonly DateTime Now = new(2025, 1, 1, 12, 0, 0, 250, DateTimeKind.Utc);

    /// <summary>A claim of 10Gi bound to its 10Gi volume, then asking for <paramref name="request"/>.</summary>
    private static (V1PersistentVolumeClaim Claim, V1PersistentVolume Volume) BoundAsking(string request)
    {
        var (claim, volume, _) = Run(Claim());
        claim.Spec.Resources.Requests["storage"] = new ResourceQuantity(request);
        return (claim, volume!);
    }

    [Fact]
    public void A_larger_request_grows_the_volume_then_after_the_delay_the_claims_capacity()
    {
        var (claim, volume) = BoundAsking("40Gi");

        Assert.Equal(new ExpansionDecision(ExpansionStep.ExpandVolume), StoragePlanner.PlanExpansion(claim, volume, Now, Delay));
        volume = StoragePlanner.WithRequestedCapacity(volume, claim);
        Assert.Equal("40Gi", volume.Spec.Capacity["storage"].ToString());

        Assert.Equal(new ExpansionDecision(ExpansionStep.MarkResizePending), StoragePlanner.PlanExpansion(claim, volume, Now, Delay));
        claim = StoragePlanner.WithResizePending(claim, volume, Now);
        var pending = Assert.Single(claim.Status.Conditions);
        Assert.Equal(("FileSystemResizePending", "True"), (pending.Type, pending.Status));
        Assert.Equal("10Gi", claim.Status.Capacity["storage"].ToString()); // in progress: the volume has grown, the claim not yet

        // Timed from the condition's (whole-second) time, as a restarted simulator would read it back.
        var doneAt = new DateTime(2025, 1, 1, 12, 0, 1, DateTimeKind.Utc) + Delay;
        Assert.Equal(new ExpansionDecision(ExpansionStep.None, doneAt), StoragePlanner.PlanExpansion(claim, volume, Now, Delay));
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(claim, volume, doneAt.AddMilliseconds(-1), Delay).Step);

        Assert.Equal(new ExpansionDecision(ExpansionStep.MarkClaimExpanded), StoragePlanner.PlanExpansion(claim, volume, doneAt, Delay));
        claim = StoragePlanner.WithExpandedStatus(claim, volume);
        Assert.Equal("40Gi", claim.Status.Capacity["storage"].ToString());
        Assert.Null(claim.Status.Conditions);
        Assert.Equal("Bound", claim.Status.Phase);

        Assert.Equal(new ExpansionDecision(ExpansionStep.None), StoragePlanner.PlanExpansion(claim, volume, doneAt.AddHours(1), Delay));
    }

    [Fact]
    public void With_no_delay_the_claim_follows_at_once()
    {
        var (claim, volume) = BoundAsking("40Gi");
        volume = StoragePlanner.WithRequestedCapacity(volume, claim);
        claim = StoragePlanner.WithResizePending(claim, volume, Now);

        Assert.Equal(ExpansionStep.MarkClaimExpanded, StoragePlanner.PlanExpansion(claim, volume, Now.AddSeconds(1), TimeSpan.Zero).Step);
    }

    [Theory]
    [InlineData("10Gi")]
    [InlineData("5Gi")]
    [InlineData("10240Mi")]
    public void A_request_that_is_not_larger_is_never_a_shrink(string request)
    {
        var (claim, volume) = BoundAsking(request);

        Assert.Equal(new ExpansionDecision(ExpansionStep.None), StoragePlanner.PlanExpansion(claim, volume, Now, Delay));
    }

    [Fact]
    public void Quantities_are_compared_by_value_not_text()
    {
        var (claim, volume) = BoundAsking("10241Mi");

        Assert.Equal(ExpansionStep.ExpandVolume, StoragePlanner.PlanExpansion(claim, volume, Now, Delay).Step);
    }

    [Fact]
    public void A_restarted_simulator_finishes_an_expansion_from_the_objects()
    {
        // Crashed after growing the volume: the claim gets its condition, then its capacity.
        var (claim, volume) = BoundAsking("40Gi");
        volume = StoragePlanner.WithRequestedCapacity(volume, claim);
        Assert.Equal(ExpansionStep.MarkResizePending, StoragePlanner.PlanExpansion(claim, volume, Now, Delay).Step);

        // Crashed while the file system was resizing, long ago.
        claim = StoragePlanner.WithResizePending(claim, volume, Now);
        Assert.Equal(ExpansionStep.MarkClaimExpanded, StoragePlanner.PlanExpansion(claim, volume, Now.AddHours(1), Delay).Step);
    }

    [Fact]
    public void Claims_that_are_not_ours_bound_and_alive_are_not_expanded()
    {
        var (claim, volume) = BoundAsking("40Gi");

        var foreign = JsonCopyOf(volume);
        foreign.Metadata.Labels.Clear();
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(claim, foreign, Now, Delay).Step);

        var otherClaims = JsonCopyOf(volume);
        otherClaims.Spec.ClaimRef.Uid = "another-uid";
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(claim, otherClaims, Now, Delay).Step);

        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(claim, null, Now, Delay).Step);

        var elsewhere = JsonCopyOf(claim);
        elsewhere.Spec.VolumeName = "someone-elses-pv";
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(elsewhere, volume, Now, Delay).Step);

        var pending = JsonCopyOf(claim);
        pending.Status.Phase = "Pending";
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(pending, volume, Now, Delay).Step);

        var deleting = JsonCopyOf(claim);
        deleting.Metadata.DeletionTimestamp = Now;
        Assert.Equal(ExpansionStep.None, StoragePlanner.PlanExpansion(deleting, volume, Now, Delay).Step);
    }

    [Fact]
    public void Building_the_expansion_copies_leaves_the_cached_objects_untouched()
    {
        var (claim, volume) = BoundAsking("40Gi");

        StoragePlanner.WithExpandedStatus(StoragePlanner.WithResizePending(claim, StoragePlanner.WithRequestedCapacity(volume, claim), Now), volume);

        Assert.Equal("10Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal("10Gi", claim.Status.Capacity["storage"].ToString());
        Assert.Null(claim.Status.Conditions);
    }

    private static T JsonCopyOf<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
