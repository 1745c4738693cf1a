using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Tests.TrainingJobs;
using MedOps.Controllers.Tests.Workspaces;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>
/// kubectl and API clients show each cause as "field: message", so a cause's message must not
/// start with its own field again (AdmissionDispatcher's contract: "the cause's message does not
/// repeat the field the violation's own message starts with").
/// </summary>
public sealed class CauseMessageTests
{
    public static TheoryData<string> Refusals() => new()
    {
        "a model source from a public hub",
        "a lowered model classification",
        "a workspace disk that shrinks",
        "a model cpu that is not a quantity",
        "a model name with a dot",
        "models with minReplicas above maxReplicas",
        "a workspace image without a source",
        "a workspace memory that is not a quantity",
        "a changed training dataset",
    };

    private static AdmissionRequest Request(string refusal) => refusal switch
    {
        "a model source from a public hub" => AdmissionHarness.Create(TestModels.ChestXray(s => s.Source.Uri = "https://huggingface.co/x/model.onnx")),
        "a lowered model classification" => AdmissionHarness.Update(TestModels.ChestXray(), TestModels.ChestXray(s => s.DataClassification = DataClassification.Public)),
        "a workspace disk that shrinks" => AdmissionHarness.Update(
            TestWorkspaces.DrSmith(s => { s.Disk.Size = "40Gi"; s.DataClassification = DataClassification.Public; }),
            TestWorkspaces.DrSmith(s => s.DataClassification = DataClassification.Public)),
        "a model cpu that is not a quantity" => AdmissionHarness.Create(TestModels.ChestXray(s => s.Resources.Cpu = "four")),
        "a model name with a dot" => AdmissionHarness.Create(Renamed(TestModels.ChestXray(), "chest.xray")),
        "models with minReplicas above maxReplicas" => AdmissionHarness.Create(TestModels.ChestXray(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 5, MaxReplicas = 4 })),
        "a workspace image without a source" => AdmissionHarness.Create(TestWorkspaces.DrSmith(s => { s.Image = new WorkspaceImage(); s.DataClassification = DataClassification.Public; })),
        "a workspace memory that is not a quantity" => AdmissionHarness.Create(TestWorkspaces.DrSmith(s => { s.Memory = "lots"; s.DataClassification = DataClassification.Public; })),
        "a changed training dataset" => AdmissionHarness.Update(
            TestJobs.ChestXray(s => s.DataClassification = DataClassification.Public),
            TestJobs.ChestXray(s => { s.DataClassification = DataClassification.Public; s.Dataset.ClaimName = "cxr-2025"; })),
        _ => throw new ArgumentException(refusal),
    };

    private static V1Alpha1MedicalModel Renamed(V1Alpha1MedicalModel model, string name)
    {
        model.Metadata.Name = name;
        return model;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_cause_does_not_start_with_its_own_field_again(string refusal)
    {
        var harness = new AdmissionHarness { Settings = new GuardrailSettings() };

        var response = await harness.DecideAsync(Request(refusal));

        Assert.False(response.Allowed);
        var cause = Assert.Single(response.Status!.Details!.Causes);
        var shown = $"{cause.Field}: {cause.Message}";
        Assert.False(cause.Message.StartsWith(cause.Field, StringComparison.Ordinal), $"kubectl would show \"{shown}\"");
    }
}
