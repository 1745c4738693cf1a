namespace MedOps.Api.Schema;

/// <summary>The longest string a field accepts (OpenAPI <c>maxLength</c>); on a list of strings, per item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    /// <summary>The maximum number of characters.</summary>
    public int Length { get; } = length;
}
