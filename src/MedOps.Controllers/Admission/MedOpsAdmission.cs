using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Admission;

/// <summary>The admission validators and mutators of every MedOps kind, as the webhooks serve them.</summary>
public static class MedOpsAdmission
{
    /// <summary>One validator per kind, reading the cluster through <paramref name="api"/>.</summary>
    public static IReadOnlyList<IAdmissionValidator> Validators(GuardrailSettings settings, KubeApi api)
    {
        var lookups = new ApiAdmissionLookups(api);
        return Validators(settings, lookups, lookups);
    }

    /// <summary>One validator per kind over the given lookups (tests pass fakes).</summary>
    public static IReadOnlyList<IAdmissionValidator> Validators(GuardrailSettings settings, IAdmissionLookups lookups, IAccessReviewer reviewer) =>
    [
        new MedicalModelAdmission(settings, lookups, reviewer),
        new ModelApprovalAdmission(lookups, reviewer),
        new TrainingJobAdmission(settings, lookups, reviewer),
        new WorkspaceAdmission(settings, lookups, reviewer),
    ];

    /// <summary>
    /// The mutators of the mutating webhook, which runs before the validating one: both record
    /// the authenticated user (a model's authors, an approval's approver), so neither reads the
    /// cluster.
    /// </summary>
    public static IReadOnlyList<IAdmissionMutator> Mutators() =>
    [
        new MedicalModelMutator(),
        new ModelApprovalMutator(),
    ];
}
