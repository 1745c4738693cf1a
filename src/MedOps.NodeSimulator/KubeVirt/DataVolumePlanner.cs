using System.Text.Json.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>The DataVolume's next status (null: unchanged), when to look again, and a log line.</summary>
internal sealed record DataVolumeDecision(JsonObject? Status, DateTime? WakeAt, string? Summary);

/// <summary>
/// CDI's import and clone controllers in one pure function. A DataVolume with a <c>spec.source.pvc</c>
/// is a clone (CloneScheduled → CloneInProgress → Succeeded), anything else an import
/// (ImportScheduled → ImportInProgress → Succeeded). Scheduled lasts the startup delay from creation,
/// InProgress twice that from when it began (the <c>Running</c> condition's transition time),
/// so a restarted simulator picks up where it was.
/// </summary>
internal static class DataVolumePlanner
{
    public const string Succeeded = "Succeeded";

    public static DataVolumeDecision Plan(JsonObject dataVolume, DateTime now, TimeSpan startupDelay)
    {
        now = Timestamps.AsUtc(now);
        var current = JsonFields.String(dataVolume, "status", "phase");
        if (current is Succeeded or "Failed")
        {
            return new DataVolumeDecision(null, null, null);
        }

        var isClone = JsonFields.At(dataVolume, "spec", "source", "pvc") is JsonObject;
        var scheduled = isClone ? "CloneScheduled" : "ImportScheduled";
        var inProgress = isClone ? "CloneInProgress" : "ImportInProgress";
        var name = JsonFields.Name(dataVolume);
        var oldStatus = dataVolume["status"] as JsonObject;
        var status = JsonFields.StatusCopy(dataVolume);

        string next;
        DateTime? wakeAt = null;
        if (current == inProgress)
        {
            var since = JsonFields.ConditionSince(oldStatus, "Running", true, inProgress) ?? now;
            var doneAt = since + (2 * startupDelay);
            next = now >= doneAt ? Succeeded : inProgress;
            wakeAt = now >= doneAt ? null : doneAt;
        }
        else
        {
            var created = Timestamps.Parse(JsonFields.String(dataVolume, "metadata", "creationTimestamp")) ?? now;
            var startAt = created + startupDelay;
            next = now >= startAt ? inProgress : scheduled;
            wakeAt = now >= startAt ? Timestamps.NextWholeSecond(now) + (2 * startupDelay) : startAt;
        }

        status["phase"] = next;
        status["claimName"] = name;
        status["progress"] = next == Succeeded ? "100.0%" : next == inProgress ? "50.0%" : "N/A";
        var bound = next != scheduled;
        JsonFields.SetCondition(status, "Bound", bound, bound ? "Bound" : "Pending",
            bound ? $"PVC {name} Bound" : $"PVC {name} Pending", now);
        JsonFields.SetCondition(status, "Running", next == inProgress, next == Succeeded ? "Completed" : next,
            next == inProgress ? (isClone ? "Clone in progress" : "Import in progress") : string.Empty, now);
        JsonFields.SetCondition(status, "Ready", next == Succeeded, next == Succeeded ? "Ready" : next, string.Empty, now);

        if (oldStatus is not null && JsonNode.DeepEquals(oldStatus, status))
        {
            return new DataVolumeDecision(null, wakeAt, null);
        }

        return new DataVolumeDecision(status, wakeAt, $"{current ?? "(new)"} -> {next}");
    }
}
