using MedOps.Runtime.Api;

namespace MedOps.Runtime.Writes;

/// <summary>
/// What one reconcile did to an owner's children (created, updated, deleted), collected by
/// <see cref="ChildWriter"/> so that the owner gets one event per reconcile that changed
/// something, whatever its kind: <c>kubectl describe</c> stays readable and a reconcile costs
/// one event write, not one per child.
/// </summary>
public sealed class ChildChanges
{
    /// <summary>The event reason when every change was a creation.</summary>
    public const string CreatedReason = "Created";

    /// <summary>The event reason otherwise.</summary>
    public const string UpdatedReason = "Updated";

    private readonly List<(string Verb, string What)> changes = [];

    /// <summary>True when something was written.</summary>
    public bool Any => changes.Count > 0;

    /// <summary><see cref="CreatedReason"/> when every change created a child, else <see cref="UpdatedReason"/>.</summary>
    public string Reason => changes.All(c => c.Verb == "created") ? CreatedReason : UpdatedReason;

    /// <summary>The changes for people, in the order they were made: "created Deployment chest-xray, created Service chest-xray".</summary>
    public string Message => string.Join(", ", changes.Select(c => $"{c.Verb} {c.What}"));

    internal void Created(ResourceType type, string name) => changes.Add(("created", $"{type.Kind} {name}"));

    internal void Updated(ResourceType type, string name) => changes.Add(("updated", $"{type.Kind} {name}"));

    internal void Deleted(ResourceType type, string name) => changes.Add(("deleted", $"{type.Kind} {name}"));
}
