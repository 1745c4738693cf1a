using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class ChildMetadataTests
{
    private static readonly ChildOwner Owner = ChildOwner.Of(TestModels.ChestXray());

    [Fact]
    public void The_owner_of_a_medical_model_takes_group_version_and_kind_from_the_type()
    {
        var model = TestModels.ChestXray();
        // Objects from a list or the cache may come without apiVersion and kind.
        model.ApiVersion = null!;
        model.Kind = null!;

        var owner = ChildOwner.Of(model);

        Assert.Equal(new ChildOwner("medops.io/v1alpha1", "MedicalModel", TestModels.Name, TestModels.Namespace, TestModels.Uid), owner);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("namespace")]
    [InlineData("uid")]
    public void A_resource_that_is_not_stored_yet_has_no_owner(string missing)
    {
        var model = TestModels.ChestXray();
        switch (missing)
        {
            case "name": model.Metadata.Name = null; break;
            case "namespace": model.Metadata.NamespaceProperty = null; break;
            default: model.Metadata.Uid = null; break;
        }

        var error = Assert.Throws<ArgumentException>(() => ChildOwner.Of(model));

        Assert.Contains($"metadata.{missing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Child_labels_are_exactly_the_four_of_the_api()
    {
        Assert.Equal(TestModels.ChildLabels, ChildMetadata.Labels(Owner, ChildComponent.Inference));
    }

    [Fact]
    public void The_selector_label_is_the_lower_case_kind_and_the_name()
    {
        Assert.Equal(TestModels.SelectorLabels, ChildMetadata.SelectorLabels(Owner));
        Assert.Equal("medops.io/trainingjob", ChildMetadata.OwnerLabelKey("TrainingJob"));
        Assert.Equal("medops.io/workspace", ChildMetadata.OwnerLabelKey("Workspace"));
    }

    [Theory]
    [InlineData(ChildComponent.Inference, "inference")]
    [InlineData(ChildComponent.Training, "training")]
    [InlineData(ChildComponent.Workspace, "workspace")]
    public void The_component_label_names_the_workload(string component, string expected)
    {
        Assert.Equal(expected, ChildMetadata.Labels(Owner, component)["app.kubernetes.io/component"]);
    }

    [Fact]
    public void The_owner_reference_is_a_blocking_controller_reference_pinned_by_uid()
    {
        var reference = ChildMetadata.OwnerReference(Owner);

        Assert.Equal("medops.io/v1alpha1", reference.ApiVersion);
        Assert.Equal("MedicalModel", reference.Kind);
        Assert.Equal(TestModels.Name, reference.Name);
        Assert.Equal(TestModels.Uid, reference.Uid);
        Assert.True(reference.Controller);
        Assert.True(reference.BlockOwnerDeletion);
    }

    [Fact]
    public void Child_metadata_has_name_namespace_labels_and_owner_but_no_annotations()
    {
        var metadata = ChildMetadata.Create(Owner, ChildComponent.Inference);

        Assert.Equal(TestModels.Name, metadata.Name);
        Assert.Equal(TestModels.Namespace, metadata.NamespaceProperty);
        Assert.Equal(TestModels.ChildLabels, metadata.Labels);
        Assert.Equal(TestModels.Uid, Assert.Single(metadata.OwnerReferences).Uid);
        Assert.Null(metadata.Annotations);
    }

    [Fact]
    public void A_child_can_have_its_own_name()
    {
        Assert.Equal("chest-xray-worker-0", ChildMetadata.Create(Owner, ChildComponent.Training, "chest-xray-worker-0").Name);
    }

    [Fact]
    public void Every_call_returns_a_new_dictionary_so_callers_can_add_labels()
    {
        var first = ChildMetadata.Labels(Owner, ChildComponent.Inference);
        first["medops.io/attempt"] = "2";

        Assert.DoesNotContain("medops.io/attempt", ChildMetadata.Labels(Owner, ChildComponent.Inference).Keys);
        Assert.NotSame(ChildMetadata.SelectorLabels(Owner), ChildMetadata.SelectorLabels(Owner));
    }

    [Fact]
    public void Owners_of_other_kinds_use_their_own_kind()
    {
        var job = new V1Alpha1TrainingJob { Metadata = new V1ObjectMeta { Name = "train", NamespaceProperty = "ml", Uid = "u-1" } };

        var owner = ChildOwner.Of(job);

        Assert.Equal("TrainingJob", owner.Kind);
        Assert.Equal("train", ChildMetadata.SelectorLabels(owner)["medops.io/trainingjob"]);
    }
}
