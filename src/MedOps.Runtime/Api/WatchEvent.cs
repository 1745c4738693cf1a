using k8s.Models;

namespace MedOps.Runtime.Api;

/// <summary>The kinds of event a watch stream carries.</summary>
public enum WatchEventKind
{
    /// <summary>An object was created (or first seen).</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object was deleted.</summary>
    Deleted,

    /// <summary>A progress marker carrying only a newer resourceVersion.</summary>
    Bookmark,

    /// <summary>The server ended the watch with a Status (for example 410 Gone).</summary>
    Error,
}

/// <summary>One event of a watch stream: an object, or for <see cref="WatchEventKind.Error"/> a Status.</summary>
public sealed record WatchEvent<T>(WatchEventKind Kind, T? Object, V1Status? Status, string? ResourceVersion);
