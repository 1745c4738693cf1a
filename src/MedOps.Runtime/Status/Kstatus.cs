using k8s.Models;

namespace MedOps.Runtime.Status;

/// <summary>
/// The one place that turns an <see cref="Outcome"/> into the Ready, Reconciling and Stalled
/// conditions, so every kind follows the same rules: Ready is True only when done; Stalled is
/// True, with Ready's reason, only when a person must act; Reconciling is True only while the
/// operator works; the ones that do not apply are removed (kstatus treats a present False
/// Reconciling like an absent one, removal keeps <c>kubectl describe</c> short). The generation
/// stamped on each condition is the one the status describes.
/// </summary>
public static class Kstatus
{
    /// <summary>Returns <paramref name="conditions"/> with Ready, Stalled and Reconciling set for <paramref name="outcome"/>; other types are kept.</summary>
    public static List<V1Condition> Apply(IEnumerable<V1Condition>? conditions, Outcome outcome, long? observedGeneration, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var (progress, reason, message) = (outcome.Progress, outcome.Reason, outcome.Message);
        var list = Conditions.Set(conditions, Conditions.Ready, progress == Progress.Done, reason, message, observedGeneration, now);
        list = progress == Progress.Stalled
            ? Conditions.Set(list, Conditions.Stalled, true, reason, message, observedGeneration, now)
            : Conditions.Remove(list, Conditions.Stalled);
        return progress == Progress.InProgress
            ? Conditions.Set(list, Conditions.Reconciling, true, reason, message, observedGeneration, now)
            : Conditions.Remove(list, Conditions.Reconciling);
    }
}
