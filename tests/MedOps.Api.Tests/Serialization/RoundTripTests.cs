using System.Text.Json.Nodes;
using k8s;
using MedOps.Api.V1Alpha1;

namespace MedOps.Api.Tests.Serialization;

/// <summary>
/// What the API server returns, read into the C# types with the client's own serializer and
/// written back, is the same JSON: no field lost, no quantity respelled, enums as strings.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, Type> AllSamples => new()
    {
        { Samples.MedicalModel, typeof(V1Alpha1MedicalModel) },
        { Samples.MedicalModelFromTrainingJob, typeof(V1Alpha1MedicalModel) },
        { Samples.TrainingJob, typeof(V1Alpha1TrainingJob) },
        { Samples.Workspace, typeof(V1Alpha1Workspace) },
        { Samples.WorkspaceFromClonedDisk, typeof(V1Alpha1Workspace) },
        { Samples.WorkspaceFromHttpImage, typeof(V1Alpha1Workspace) },
    };

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void A_full_object_survives_a_round_trip_through_the_client_serializer(string json, Type kind)
    {
        var typed = DeserializeWithClient(json, kind);

        var written = KubernetesJson.Serialize(typed);

        var expected = JsonNode.Parse(json);
        var actual = JsonNode.Parse(written);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Round trip changed the object.\nexpected: {expected!.ToJsonString()}\nactual:   {actual!.ToJsonString()}");
    }

    [Fact]
    public void Quantities_keep_the_spelling_the_user_wrote()
    {
        var model = KubernetesJson.Deserialize<V1Alpha1MedicalModel>(Samples.MedicalModel);

        Assert.Equal("500m", model.Spec.Resources.Cpu);
        Assert.Equal("16Gi", model.Spec.Resources.Memory);
        Assert.Equal("40Gi", model.Spec.Resources.Gpu!.MinMemory);
    }

    [Theory]
    [InlineData("4", "4")]
    [InlineData("0.5", "0.5")]
    [InlineData("1e3", "1e3")]
    [InlineData("\"100m\"", "100m")]
    public void A_quantity_the_server_holds_as_a_number_reads_as_its_exact_text(string jsonValue, string expected)
    {
        var json = $$$"""{"owner": "a", "memory": {{{jsonValue}}}, "image": {"containerDisk": "x"}}""";

        var spec = KubernetesJson.Deserialize<V1Alpha1WorkspaceSpec>(json);

        Assert.Equal(expected, spec.Memory);
    }

    [Fact]
    public void Enums_are_written_as_their_api_names_even_without_the_client_serializer()
    {
        var spec = new V1Alpha1MedicalModelSpec { Modality = Modality.Genomics, DataClassification = DataClassification.LimitedDataSet, Format = ModelFormat.ONNX };

        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(spec))!;

        Assert.Equal("Genomics", json["modality"]!.GetValue<string>());
        Assert.Equal("LimitedDataSet", json["dataClassification"]!.GetValue<string>());
        Assert.Equal("ONNX", json["format"]!.GetValue<string>());
        Assert.Equal("Research", json["usage"]!.GetValue<string>());
    }

    [Fact]
    public void Typed_fields_read_from_a_full_object_carry_the_values_of_the_json()
    {
        var job = KubernetesJson.Deserialize<V1Alpha1TrainingJob>(Samples.TrainingJob);

        Assert.Equal(4, job.Spec.Workers);
        Assert.Equal(86400, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal("cxr-2024", job.Spec.Dataset.ClaimName);
        Assert.Equal(ModelFormat.TorchScript, job.Spec.Model!.Template.Format);
        Assert.Equal(TrainingJobPhase.Succeeded, job.Status!.Phase);
        Assert.Equal(4, job.Status.Workers!.Succeeded);
        Assert.Equal(new DateTime(2024, 5, 2, 8, 30, 0, DateTimeKind.Utc), job.Status.CompletionTime);
        Assert.Equal("True", job.Status.Conditions!.Single().Status);
    }

    [Fact]
    public void Environment_variables_keep_every_value_source()
    {
        var model = KubernetesJson.Deserialize<V1Alpha1MedicalModel>(Samples.MedicalModel);

        var env = model.Spec.Runtime.Env!.ToDictionary(e => e.Name);
        Assert.Equal("token", env["API_TOKEN"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("cache", env["MODEL_CACHE"].ValueFrom.ConfigMapKeyRef.Key);
        Assert.Equal("1m", env["CPU_LIMIT"].ValueFrom.ResourceFieldRef.Divisor.ToString());
    }

    [Fact]
    public void New_objects_carry_their_api_version_and_kind()
    {
        Assert.Equal(("medops.io/v1alpha1", "MedicalModel"), (new V1Alpha1MedicalModel().ApiVersion, new V1Alpha1MedicalModel().Kind));
        Assert.Equal(("medops.io/v1alpha1", "TrainingJob"), (new V1Alpha1TrainingJob().ApiVersion, new V1Alpha1TrainingJob().Kind));
        Assert.Equal(("medops.io/v1alpha1", "Workspace"), (new V1Alpha1Workspace().ApiVersion, new V1Alpha1Workspace().Kind));
        Assert.Equal("MedicalModelList", new V1Alpha1MedicalModelList().Kind);
        Assert.Equal("TrainingJobList", new V1Alpha1TrainingJobList().Kind);
        Assert.Equal("WorkspaceList", new V1Alpha1WorkspaceList().Kind);
    }

    [Fact]
    public void A_list_from_the_server_reads_into_its_items()
    {
        var list = KubernetesJson.Deserialize<V1Alpha1WorkspaceList>(
            $$"""{"apiVersion": "medops.io/v1alpha1", "kind": "WorkspaceList", "metadata": {"resourceVersion": "9"}, "items": [{{Samples.Workspace}}, {{Samples.WorkspaceFromClonedDisk}}]}""");

        Assert.Equal(["dr-smith", "dr-jones"], list.Items.Select(w => w.Metadata.Name));
        Assert.Equal("golden", list.Items[1].Spec.Image.Pvc!.Namespace);
    }

    // KubernetesJson.Deserialize<T> for a T known only at run time.
    private static object DeserializeWithClient(string json, Type kind) =>
        typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters()[0].ParameterType == typeof(string))
            .MakeGenericMethod(kind)
            .Invoke(null, [json, null])!;
}
