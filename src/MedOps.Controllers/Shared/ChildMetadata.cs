using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Labels, selector labels and the controller owner reference that api.md puts on every child
/// object. The owner's own labels and annotations are never copied: GitOps tools track objects
/// by labels such as <c>app.kubernetes.io/instance</c>, and copied ones make Argo CD prune or
/// claim the children.
/// </summary>
public static class ChildMetadata
{
    /// <summary>The <c>app.kubernetes.io/managed-by</c> label key.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/> on every child.</summary>
    public const string ManagedByValue = "medops-operator";

    /// <summary>
    /// The label selector of every informer of children: the caches hold MedOps' objects, not
    /// the whole cluster's.
    /// </summary>
    public const string ManagedBySelector = ManagedByLabel + "=" + ManagedByValue;

    /// <summary>The <c>app.kubernetes.io/part-of</c> label key.</summary>
    public const string PartOfLabel = "app.kubernetes.io/part-of";

    /// <summary>The value of <see cref="PartOfLabel"/> on every child.</summary>
    public const string PartOfValue = "medops";

    /// <summary>The <c>app.kubernetes.io/component</c> label key; values in <see cref="ChildComponent"/>.</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>The prefix of the selector label key: <c>medops.io/&lt;kind-lowercase&gt;</c>.</summary>
    public const string OwnerLabelPrefix = "medops.io/";

    /// <summary>The selector label key of an owner kind, for example <c>medops.io/medicalmodel</c>.</summary>
    public static string OwnerLabelKey(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return OwnerLabelPrefix + kind.ToLowerInvariant();
    }

    /// <summary>
    /// The selector labels of <paramref name="owner"/>'s children: just
    /// <c>medops.io/&lt;kind-lowercase&gt;: &lt;name&gt;</c>. Deployments, Services, budgets and
    /// policies select pods by it. A new dictionary on every call.
    /// </summary>
    public static Dictionary<string, string> SelectorLabels(ChildOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OwnerLabelKey(owner.Kind)] = owner.Name,
        };
    }

    /// <summary>
    /// The labels of every child of <paramref name="owner"/> (and of the pods they create):
    /// managed-by, part-of, component and the selector label. A new dictionary on every call.
    /// </summary>
    public static Dictionary<string, string> Labels(ChildOwner owner, string component)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManagedByLabel] = ManagedByValue,
            [PartOfLabel] = PartOfValue,
            [ComponentLabel] = component,
        };
        foreach (var (key, value) in SelectorLabels(owner))
        {
            labels[key] = value;
        }
        return labels;
    }

    /// <summary>
    /// The controller owner reference to <paramref name="owner"/>
    /// (<c>controller: true</c>, <c>blockOwnerDeletion: true</c>), so deleting the owner deletes
    /// the child and the owner's reconcile is triggered by changes to it.
    /// </summary>
    public static V1OwnerReference OwnerReference(ChildOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new V1OwnerReference
        {
            ApiVersion = owner.ApiVersion,
            Kind = owner.Kind,
            Name = owner.Name,
            Uid = owner.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>
    /// The metadata of a child: <paramref name="name"/> (the owner's name when omitted), the
    /// owner's namespace, <see cref="Labels"/> and the controller <see cref="OwnerReference"/>.
    /// No annotations of the owner's (the applier adds only its own <c>medops.io/desired-hash</c>).
    /// </summary>
    public static V1ObjectMeta Create(ChildOwner owner, string component, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new V1ObjectMeta
        {
            Name = name ?? owner.Name,
            NamespaceProperty = owner.Namespace,
            Labels = Labels(owner, component),
            OwnerReferences = [OwnerReference(owner)],
        };
    }
}
