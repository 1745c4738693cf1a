namespace MedOps.Api.Schema;

/// <summary>A short name for a kind on the command line (<c>kubectl get mm</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ShortNameAttribute(string name) : Attribute
{
    /// <summary>The short name, lower case.</summary>
    public string Name { get; } = name;
}
