namespace MedOps.Api.Schema;

/// <summary>
/// A regular expression a string field must match (OpenAPI <c>pattern</c>, evaluated by the API
/// server with Go's RE2 syntax: no look-around). On a list of strings, every item must match.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    /// <summary>The regular expression, anchored by the caller with <c>^</c> and <c>$</c>.</summary>
    public string Regex { get; } = regex;
}
