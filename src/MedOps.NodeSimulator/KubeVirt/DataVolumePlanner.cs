using System.Text.Json.Nodes;
using k8s.Models;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>The DataVolume's next status (null: unchanged), when to look again, and a log line.</summary>
internal sealed record DataVolumeDecision(JsonObject? Status, DateTime? WakeAt, string? Summary);

/// <summary>
/// CDI's import and clone controllers in one pure function. A DataVolume with a <c>spec.source.pvc</c>
/// is a clone (CloneScheduled → CloneInProgress → Succeeded), anything else an import
/// (ImportScheduled → ImportInProgress → Succeeded). Scheduled lasts the startup delay from creation,
/// and until the DataVolume's own claim is Bound and, for a clone, the source claim exists and is
/// Bound; InProgress twice the startup delay from when it began (the <c>Running</c> condition's
/// transition time), so a restarted simulator picks up where it was. The <c>Bound</c> condition
/// follows the claim.
/// </summary>
internal static class DataVolumePlanner
{
    public const string Succeeded = "Succeeded";

    /// <summary>CDI's reason when a claim of the DataVolume's name exists that the DataVolume does not control.</summary>
    public const string ErrResourceExists = "ErrResourceExists";

    /// <param name="dataVolume">The DataVolume.</param>
    /// <param name="claim">The claim of the DataVolume's name in its namespace, null when there is none (yet).</param>
    /// <param name="source">For a clone: the source claim (<see cref="DataVolumeClaim.CloneSourceKey"/>), null when it does not exist.</param>
    /// <param name="now">The time.</param>
    /// <param name="startupDelay">The simulator's startup delay.</param>
    public static DataVolumeDecision Plan(
        JsonObject dataVolume, V1PersistentVolumeClaim? claim, V1PersistentVolumeClaim? source, DateTime now, TimeSpan startupDelay)
    {
        now = Timestamps.AsUtc(now);
        var current = JsonFields.String(dataVolume, "status", "phase");
        if (current is Succeeded or "Failed")
        {
            return new DataVolumeDecision(null, null, null);
        }

        var sourceKey = DataVolumeClaim.CloneSourceKey(dataVolume);
        var isClone = sourceKey is not null;
        var scheduled = isClone ? "CloneScheduled" : "ImportScheduled";
        var inProgress = isClone ? "CloneInProgress" : "ImportInProgress";
        var name = JsonFields.Name(dataVolume);
        var oldStatus = dataVolume["status"] as JsonObject;
        var status = JsonFields.StatusCopy(dataVolume);

        var (bound, boundReason, boundMessage) = ClaimState(dataVolume, claim);
        var sourceReady = !isClone || (source is { Status.Phase: "Bound" } && source.Metadata.DeletionTimestamp is null);
        var waitingFor = sourceReady ? null : $"waiting for source PVC {sourceKey} to exist and be Bound";

        string next;
        DateTime? wakeAt = null;
        if (current == inProgress)
        {
            // The import (or copy) pod needs its claim: without it nothing finishes, and the claim's watch brings us back.
            var since = JsonFields.ConditionSince(oldStatus, "Running", true, inProgress) ?? now;
            var doneAt = since + (2 * startupDelay);
            next = now >= doneAt && bound ? Succeeded : inProgress;
            wakeAt = now >= doneAt ? null : doneAt;
        }
        else
        {
            var created = Timestamps.Parse(JsonFields.String(dataVolume, "metadata", "creationTimestamp")) ?? now;
            var startAt = created + startupDelay;
            var start = now >= startAt && bound && sourceReady;
            next = start ? inProgress : scheduled;
            // Waiting for a claim ends with a watch event of that claim, not at a time.
            wakeAt = start ? Timestamps.NextWholeSecond(now) + (2 * startupDelay) : now < startAt ? startAt : null;
        }

        status["phase"] = next;
        status["claimName"] = name;
        status["progress"] = next == Succeeded ? "100.0%" : next == inProgress ? "50.0%" : "N/A";
        JsonFields.SetCondition(status, "Bound", bound, boundReason, boundMessage, now);
        var runningMessage = next == inProgress ? (isClone ? "Clone in progress" : "Import in progress") : waitingFor ?? string.Empty;
        JsonFields.SetCondition(status, "Running", next == inProgress, next == Succeeded ? "Completed" : next, runningMessage, now);
        JsonFields.SetCondition(status, "Ready", next == Succeeded, next == Succeeded ? "Ready" : next, string.Empty, now);

        if (oldStatus is not null && JsonNode.DeepEquals(oldStatus, status))
        {
            return new DataVolumeDecision(null, wakeAt, null);
        }

        var why = next == scheduled ? waitingFor ?? boundMessage : null;
        var summary = (current == next ? next : $"{current ?? "(new)"} -> {next}") + (why is null ? string.Empty : $" ({why})");
        return new DataVolumeDecision(status, wakeAt, summary);
    }

    /// <summary>The DataVolume's <c>Bound</c> condition, from its claim: Bound only when the claim is ours and Bound.</summary>
    private static (bool Bound, string Reason, string Message) ClaimState(JsonObject dataVolume, V1PersistentVolumeClaim? claim)
    {
        var name = JsonFields.Name(dataVolume);
        if (claim is not null && !DataVolumeClaim.IsControlledBy(claim, dataVolume))
        {
            return (false, ErrResourceExists, $"Resource \"{name}\" already exists and is not managed by DataVolume");
        }

        return claim is { Status.Phase: "Bound" }
            ? (true, "Bound", $"PVC {name} Bound")
            : (false, "Pending", $"PVC {name} Pending");
    }
}
