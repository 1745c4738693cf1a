namespace MedOps.Api.Schema;

/// <summary>A category the kind belongs to: <c>kubectl get &lt;category&gt;</c> lists every kind in it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ResourceCategoryAttribute(string name) : Attribute
{
    /// <summary>The category name, lower case.</summary>
    public string Name { get; } = name;
}
