using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces;
using MedOps.Controllers.Workspaces.Validation;

namespace MedOps.Operator.Configuration;

/// <summary>
/// <c>defaults.workspaceLifecycle</c> of the config file as the workspace API type, checked by the
/// same rules as a workspace's own <c>spec.lifecycle</c> (one way to validate it).
/// </summary>
internal static class LifecycleDefaults
{
    /// <summary>The lifecycle, or null when the file has none; an error names the key.</summary>
    public static WorkspaceLifecycle? From(OperatorConfigFile.LifecycleSection? section, out string? error)
    {
        error = null;
        if (section is null)
        {
            return null;
        }
        var lifecycle = new WorkspaceLifecycle
        {
            IdleTimeout = section.IdleTimeout,
            MaxSessionDuration = section.MaxSessionDuration,
            ShutdownWarning = section.ShutdownWarning ?? WorkspaceLifecycle.DefaultShutdownWarning,
        };
        if (section.ActiveHours is { } hours)
        {
            var days = new List<WeekDay>();
            foreach (var day in hours.Days ?? [])
            {
                if (!Enum.TryParse<WeekDay>(day, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
                {
                    error = $"defaults.workspaceLifecycle.activeHours.days: \"{day}\" is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun";
                    return null;
                }
                days.Add(parsed);
            }
            lifecycle.ActiveHours = new WorkspaceActiveHours
            {
                Start = hours.Start ?? "",
                End = hours.End ?? "",
                TimeZone = hours.TimeZone ?? "UTC",
                Days = days.Count > 0 ? days : null,
                StartAutomatically = hours.StartAutomatically,
            };
        }
        var probe = new V1Alpha1Workspace { Metadata = new k8s.Models.V1ObjectMeta { Name = "defaults" }, Spec = new V1Alpha1WorkspaceSpec { Lifecycle = lifecycle } };
        if (WorkspaceValidator.Problems(probe).FirstOrDefault(p => p.Reason == WorkspaceReasons.InvalidLifecycle) is { } problem)
        {
            error = "defaults.workspaceLifecycle" + problem.Message["spec.lifecycle".Length..].TrimEnd('.');
            return null;
        }
        return lifecycle;
    }
}
