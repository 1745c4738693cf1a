namespace MedOps.Api.Schema;

/// <summary>
/// The API server fills an omitted object field with <c>{}</c> (OpenAPI <c>default: {}</c>), so
/// the defaults of the fields inside it apply too. Without it, nested defaults apply only when
/// the user writes the object.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultObjectAttribute : Attribute;
