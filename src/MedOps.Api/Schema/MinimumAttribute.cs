namespace MedOps.Api.Schema;

/// <summary>The smallest value an integer field accepts (OpenAPI <c>minimum</c>, inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    /// <summary>The inclusive lower bound.</summary>
    public long Value { get; } = value;
}
