using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Writes;

/// <summary>
/// The one way every controller writes its children: apply what is wanted (through
/// <see cref="ChildApplier"/>, which skips what the cache already matches), and delete a child
/// that is no longer wanted if, and only if, it is ours (its controller owner reference names
/// the owner's UID). Each write is noted in a <see cref="ChildChanges"/> for the owner's event.
/// </summary>
public sealed class ChildWriter(ChildApplier applier, KubeApi api)
{
    /// <summary>Applies <paramref name="desired"/> unless <paramref name="cached"/> matches it; returns the live object.</summary>
    public async Task<T> ApplyAsync<T>(ChildChanges changes, ResourceType type, T desired, T? cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(desired);
        var (live, written) = await applier.ApplyAsync(type, desired, cached, cancellationToken).ConfigureAwait(false);
        if (written)
        {
            if (cached is null)
            {
                changes.Created(type, desired.Metadata.Name);
            }
            else
            {
                changes.Updated(type, desired.Metadata.Name);
            }
        }
        return live;
    }

    /// <summary>
    /// Applies <paramref name="desired"/> when there is one; otherwise deletes
    /// <paramref name="cached"/> when <paramref name="owner"/> controls it (a child someone else
    /// made under the same name is left alone). Returns the live child, or null when there is none.
    /// </summary>
    public async Task<T?> ApplyOrDeleteAsync<T>(ChildChanges changes, IKubernetesObject<V1ObjectMeta> owner, ResourceType type, T? desired, T? cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(owner);
        if (desired is not null)
        {
            return await ApplyAsync(changes, type, desired, cached, cancellationToken).ConfigureAwait(false);
        }
        if (cached is null || !IsControlledBy(cached, owner))
        {
            return null;
        }
        if (await api.DeleteAsync(type, cached.Metadata.NamespaceProperty, cached.Metadata.Name, uid: cached.Metadata.Uid, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            changes.Deleted(type, cached.Metadata.Name);
        }
        applier.Forget(type, Informers.ObjectKey.Of(cached));
        return null;
    }

    /// <summary>Whether <paramref name="child"/>'s controller owner reference names <paramref name="owner"/>'s UID.</summary>
    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> child, IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(owner);
        return child.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Metadata.Uid) == true;
    }
}
