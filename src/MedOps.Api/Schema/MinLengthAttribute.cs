namespace MedOps.Api.Schema;

/// <summary>The shortest string a field accepts (OpenAPI <c>minLength</c>); on a list of strings, per item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int length) : Attribute
{
    /// <summary>The minimum number of characters.</summary>
    public int Length { get; } = length;
}
