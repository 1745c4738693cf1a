using System.Text.Json.Nodes;
using MedOps.NodeSimulator.KubeVirt;
using static MedOps.NodeSimulator.Tests.KubeVirt.Vms;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class DataVolumeClaimTests
{
    private static JsonObject WithSpec(JsonObject dv, string spec)
    {
        dv["spec"] = JsonNode.Parse(spec);
        return dv;
    }

    private static JsonObject Labelled(JsonObject dv, string labels)
    {
        dv["metadata"]!["labels"] = JsonNode.Parse(labels);
        return dv;
    }

    [Fact]
    public void The_claim_has_the_data_volumes_name_labels_and_a_controller_owner_reference()
    {
        var dv = Labelled(DataVolume(), """{"app.kubernetes.io/managed-by": "medops", "medops.io/workspace": "dr-smith"}""");

        var claim = DataVolumeClaim.Build(dv);

        Assert.Equal(("v1", "PersistentVolumeClaim"), (claim.ApiVersion, claim.Kind));
        Assert.Equal(("research", "dr-smith-rootdisk"), (claim.Metadata.NamespaceProperty, claim.Metadata.Name));
        Assert.Equal("medops", claim.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("dr-smith", claim.Metadata.Labels["medops.io/workspace"]);
        Assert.Equal("containerized-data-importer", claim.Metadata.Labels["app"]);
        var owner = Assert.Single(claim.Metadata.OwnerReferences);
        Assert.Equal(("cdi.kubevirt.io/v1beta1", "DataVolume", "dr-smith-rootdisk", "dv-uid", true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Null(claim.Metadata.Uid);
        Assert.Null(claim.Metadata.ResourceVersion);
        Assert.Null(claim.Status);
    }

    [Fact]
    public void The_data_volumes_own_labels_win_over_cdis()
    {
        var claim = DataVolumeClaim.Build(Labelled(DataVolume(), """{"app": "notebooks"}"""));

        Assert.Equal("notebooks", claim.Metadata.Labels["app"]);
    }

    [Fact]
    public void Without_a_storage_class_the_field_is_left_out_for_the_default_class()
    {
        var claim = DataVolumeClaim.Build(DataVolume());

        Assert.Null(claim.Spec.StorageClassName);
        Assert.Equal("20Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.Null(claim.Spec.VolumeMode);
    }

    [Fact]
    public void The_storage_form_gives_class_size_access_modes_and_volume_mode()
    {
        var dv = WithSpec(DataVolume(), """
            {"source": {"http": {"url": "https://x"}},
             "storage": {"storageClassName": "fast", "accessModes": ["ReadWriteMany"], "volumeMode": "Block",
                         "resources": {"requests": {"storage": "250Gi"}}}}
            """);

        var claim = DataVolumeClaim.Build(dv);

        Assert.Equal("fast", claim.Spec.StorageClassName);
        Assert.Equal("250Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Equal("Block", claim.Spec.VolumeMode);
    }

    [Fact]
    public void The_pvc_form_is_read_like_the_storage_form()
    {
        var dv = WithSpec(DataVolume(), """
            {"source": {"pvc": {"namespace": "golden", "name": "ubuntu-22"}},
             "pvc": {"storageClassName": "medops-simulated", "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "40Gi"}}}}
            """);

        var claim = DataVolumeClaim.Build(dv);

        Assert.Equal("medops-simulated", claim.Spec.StorageClassName);
        Assert.Equal("40Gi", claim.Spec.Resources.Requests["storage"].ToString());
    }

    [Theory]
    [InlineData("""{"storage": {"storageClassName": ""}}""", "1Gi")]
    [InlineData("""{"storage": {"resources": {"requests": {"storage": 1073741824}}}}""", "1073741824")]
    [InlineData("""{}""", "1Gi")]
    public void A_missing_or_numeric_size_and_an_empty_class_are_handled(string spec, string size)
    {
        var claim = DataVolumeClaim.Build(WithSpec(DataVolume(), spec));

        Assert.Equal(size, claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Null(claim.Spec.StorageClassName);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
    }

    [Fact]
    public void A_size_that_is_not_a_quantity_is_refused()
    {
        var dv = WithSpec(DataVolume(), """{"storage": {"resources": {"requests": {"storage": "twenty"}}}}""");

        Assert.Throws<FormatException>(() => DataVolumeClaim.Build(dv));
    }

    [Fact]
    public void Only_a_claim_with_the_data_volume_as_controller_counts_as_its_own()
    {
        var dv = DataVolume();
        var claim = DataVolumeClaim.Build(dv);
        Assert.True(DataVolumeClaim.IsControlledBy(claim, dv));

        var successor = DataVolume();
        successor["metadata"]!["uid"] = "another-uid";
        Assert.False(DataVolumeClaim.IsControlledBy(claim, successor));

        claim.Metadata.OwnerReferences[0].Controller = false;
        Assert.False(DataVolumeClaim.IsControlledBy(claim, dv));

        claim.Metadata.OwnerReferences = null; // retained: its owner reference removed
        Assert.False(DataVolumeClaim.IsControlledBy(claim, dv));
    }

    [Theory]
    [InlineData("""{"pvc": {"namespace": "golden", "name": "ubuntu-22"}}""", "golden/ubuntu-22")]
    [InlineData("""{"pvc": {"name": "kept-disk"}}""", "research/kept-disk")]
    [InlineData("""{"http": {"url": "https://x"}}""", null)]
    public void The_clone_source_key_defaults_to_the_data_volumes_namespace(string source, string? key)
    {
        Assert.Equal(key, DataVolumeClaim.CloneSourceKey(DataVolume(source: source)));
    }
}
