namespace MedOps.Api.Schema;

/// <summary>
/// The field must be present (OpenAPI <c>required</c> on the enclosing object): the API server
/// rejects an object without it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
