using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Admission;

/// <summary>The admission validators of every MedOps kind, as the webhook serves them.</summary>
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
        new TrainingJobAdmission(settings, lookups, reviewer),
        new WorkspaceAdmission(settings, lookups, reviewer),
    ];
}
