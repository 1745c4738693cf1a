using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Approvals;

/// <summary>
/// A Clinical chest X-ray model that carol created and dave moved to its current version, and
/// approvals of it: bob is the independent second person.
/// </summary>
internal static class TestApprovals
{
    public const string Creator = "carol";
    public const string VersionSetter = "dave";
    public const string Reviewer = "bob";
    public const string Name = "chest-xray-1-4-0";
    public const string OtherDigest = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    /// <summary>The Clinical model, pinned by <see cref="TestModels.Digest"/>, with its authors recorded.</summary>
    public static V1Alpha1MedicalModel ClinicalModel(Action<V1Alpha1MedicalModelSpec>? change = null, string? createdBy = Creator, string? versionSetBy = VersionSetter)
    {
        var model = TestModels.ChestXray(s =>
        {
            s.Usage = ModelUsage.Clinical;
            s.Source.Digest = TestModels.Digest;
            change?.Invoke(s);
        });
        if (createdBy is not null)
        {
            model.Metadata.Annotations[ModelAuthorship.CreatedByAnnotation] = createdBy;
        }
        if (versionSetBy is not null)
        {
            model.Metadata.Annotations[ModelAuthorship.VersionSetByAnnotation] = versionSetBy;
        }
        return model;
    }

    /// <summary>An approval of the model's version 1.4.0 with its digest, by <paramref name="approver"/> (null: as a client writes it).</summary>
    public static V1Alpha1ModelApproval Approval(Action<V1Alpha1ModelApprovalSpec>? change = null, string? approver = null)
    {
        var approval = new V1Alpha1ModelApproval
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = TestModels.Namespace,
                Uid = "5e0c7a3b-1d2f-4e6a-8b9c-0a1b2c3d4e5f",
                Generation = 1,
            },
            Spec = new V1Alpha1ModelApprovalSpec
            {
                ModelName = TestModels.Name,
                Version = "1.4.0",
                Digest = TestModels.Digest,
                Approver = approver,
                Comment = "Validation report VR-2031, change ticket CHG-88",
            },
        };
        change?.Invoke(approval.Spec);
        return approval;
    }

    /// <summary>A typed CREATE (<paramref name="old"/> null) or UPDATE by <paramref name="user"/>.</summary>
    public static AdmissionAttempt<V1Alpha1MedicalModel> Attempt(string? user, V1Alpha1MedicalModel model, V1Alpha1MedicalModel? old = null) =>
        new(new AdmissionRequest { Operation = old is null ? "CREATE" : "UPDATE", UserInfo = new AdmissionUser { Username = user } }, model, old);
}
