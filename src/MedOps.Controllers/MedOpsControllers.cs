using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Runtime;

namespace MedOps.Controllers;

/// <summary>Registers every MedOps controller with a manager.</summary>
public static class MedOpsControllers
{
    private static readonly (string Plural, string Kind)[] Kinds =
    [
        (V1Alpha1MedicalModel.KubePluralName, V1Alpha1MedicalModel.KubeKind),
        (V1Alpha1ModelApproval.KubePluralName, V1Alpha1ModelApproval.KubeKind),
        (V1Alpha1TrainingJob.KubePluralName, V1Alpha1TrainingJob.KubeKind),
        (V1Alpha1Workspace.KubePluralName, V1Alpha1Workspace.KubeKind),
    ];

    /// <summary>
    /// Checks that the MedOps CRDs are served, picks API versions by discovery, and adds the
    /// controllers. Throws <see cref="MissingCrdsException"/> when the CRDs are not installed.
    /// </summary>
    public static async Task RegisterAsync(Manager manager, ControllerSettings settings, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var (plural, _) in Kinds)
        {
            if (!await manager.Discovery.IsServedAsync(GroupVersion.Group, GroupVersion.Version, plural, cancellationToken))
            {
                missing.Add($"{plural}.{GroupVersion.Group}");
            }
        }
        if (missing.Count > 0)
        {
            throw new MissingCrdsException(missing);
        }
        var versions = await ServedVersions.DiscoverAsync(manager.Discovery, cancellationToken);
        MedicalModelController.Register(manager, settings, versions);
        TrainingJobs.TrainingJobController.Register(manager, settings);
        Workspaces.WorkspaceController.Register(manager, settings);
    }
}

/// <summary>The cluster does not serve some MedOps CRDs.</summary>
public sealed class MissingCrdsException(IReadOnlyList<string> missing)
    : Exception($"the MedOps CRDs are not installed ({string.Join(", ", missing)} not served): install the chart or run kubectl apply -f crds/")
{
    /// <summary>The CRDs that are missing.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;
}
