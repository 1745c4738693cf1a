namespace MedOps.Api.Schema;

/// <summary>The largest value an integer field accepts (OpenAPI <c>maximum</c>, inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    /// <summary>The inclusive upper bound.</summary>
    public long Value { get; } = value;
}
