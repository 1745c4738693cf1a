using k8s.Models;

namespace MedOps.Runtime.Status;

/// <summary>
/// metav1.Condition bookkeeping as kstatus and Argo CD read it: one entry per type,
/// <c>lastTransitionTime</c> moves only when <c>status</c> changes.
/// </summary>
public static class Conditions
{
    /// <summary>The condition type that says the desired state is reached.</summary>
    public const string Ready = "Ready";

    /// <summary>The condition type that says the operator is still working towards the spec.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>The condition type that says progress needs a person.</summary>
    public const string Stalled = "Stalled";

    /// <summary>Sets (adds or updates) a condition; returns the new list, leaving the input untouched.</summary>
    public static List<V1Condition> Set(
        IEnumerable<V1Condition>? current, string type, bool status, string reason, string message, long? observedGeneration, DateTime now)
    {
        var list = Clone(current);
        var text = status ? "True" : "False";
        // metav1.Condition requires a message, and the local 1.20 build rejects empty strings in
        // custom resources: never write one.
        message = string.IsNullOrEmpty(message) ? reason : message;
        var existing = list.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            list.Add(new V1Condition { LastTransitionTime = now, Message = message, Reason = reason, Status = text, Type = type, ObservedGeneration = observedGeneration });
            return list;
        }
        if (existing.Status != text)
        {
            existing.LastTransitionTime = now;
        }
        existing.Status = text;
        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = observedGeneration;
        return list;
    }

    /// <summary>Removes a condition type; returns the new list.</summary>
    public static List<V1Condition> Remove(IEnumerable<V1Condition>? current, string type) =>
        Clone(current).Where(c => c.Type != type).ToList();

    /// <summary>The condition of a type, or null.</summary>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>True when the condition is present with status True.</summary>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == "True";

    private static List<V1Condition> Clone(IEnumerable<V1Condition>? current) =>
        current?.Select(c => new V1Condition { LastTransitionTime = c.LastTransitionTime, Message = c.Message, Reason = c.Reason, Status = c.Status, Type = c.Type, ObservedGeneration = c.ObservedGeneration }).ToList() ?? [];
}
