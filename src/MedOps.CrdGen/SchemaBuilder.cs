using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.CrdGen;

/// <summary>
/// Turns an API type into a structural OpenAPI v3 schema by reflection: JSON names from
/// <see cref="JsonPropertyNameAttribute"/>, descriptions from <see cref="DescriptionAttribute"/>,
/// defaults from <see cref="DefaultValueAttribute"/>, validation from the attributes in
/// <c>MedOps.Api.Schema</c>. Anything it cannot express faithfully is an error, not a guess.
/// </summary>
internal static class SchemaBuilder
{
    /// <summary>The schema of a kind's root object.</summary>
    public static V1JSONSchemaProps ForKind(Type kind) =>
        ForObject(kind, DescriptionOf(kind) ?? throw new InvalidOperationException($"{kind.Name} has no [Description]: kubectl explain shows it for the kind."));

    private static V1JSONSchemaProps ForObject(Type type, string? description)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? throw Error(property, "has no [JsonPropertyName]: the JSON name must be explicit");
            properties.Add(name, ForProperty(property));
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }
        required.Sort(StringComparer.Ordinal);
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = description,
            Properties = properties,
            Required = required.Count == 0 ? null : required,
        };
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        if (property.PropertyType == typeof(V1ObjectMeta))
        {
            return CoreTypeSchemas.ObjectMeta;
        }
        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (string.IsNullOrWhiteSpace(description))
        {
            throw Error(property, "has no [Description]: every field needs one, it is what kubectl explain shows");
        }
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = property.GetCustomAttribute<QuantityAttribute>() is not null
            ? Quantity(property, description)
            : ForType(type, description, property);
        ApplyValidation(schema, property);
        ApplyDefault(schema, property);
        ApplyListMapKey(schema, property);
        return schema;
    }

    private static V1JSONSchemaProps ForType(Type type, string? description, PropertyInfo origin)
    {
        if (CoreTypeSchemas.For(type, description) is { } core)
        {
            return core;
        }
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string", Description = description };
        }
        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32", Description = description };
        }
        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64", Description = description };
        }
        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean", Description = description };
        }
        if (type == typeof(DateTime))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time", Description = description };
        }
        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", EnumProperty = [.. Enum.GetNames(type)], Description = description };
        }
        if (IsStringMap(type))
        {
            // A label map such as nodeSelector: any keys, string values.
            return new V1JSONSchemaProps { Type = "object", Description = description, AdditionalProperties = new V1JSONSchemaProps { Type = "string" } };
        }
        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Description = description, Items = ForType(itemType, DescriptionOf(itemType), origin) };
        }
        if (type.IsClass && type != typeof(object))
        {
            // Its properties must carry the same attributes; ForObject says which one does not.
            return ForObject(type, description);
        }
        throw Error(origin, $"has type {type.Name}, which the CRD generator cannot map to a schema");
    }

    // Kubernetes' own quantity schema: int-or-string is the one structural form that accepts
    // both 4 and "500m"; the pattern applies to the string form only.
    private static V1JSONSchemaProps Quantity(PropertyInfo property, string description)
    {
        if (property.PropertyType != typeof(string))
        {
            throw Error(property, "is a [Quantity] but not a string");
        }
        return new V1JSONSchemaProps
        {
            Description = description,
            AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
            Pattern = QuantityAttribute.Pattern,
            XKubernetesIntOrString = true,
        };
    }

    private static void ApplyValidation(V1JSONSchemaProps schema, PropertyInfo property)
    {
        var minimum = property.GetCustomAttribute<MinimumAttribute>();
        var maximum = property.GetCustomAttribute<MaximumAttribute>();
        if (minimum is not null || maximum is not null)
        {
            if (schema.Type != "integer")
            {
                throw Error(property, "has [Minimum] or [Maximum] but is not an integer");
            }
            schema.Minimum = minimum?.Value;
            schema.Maximum = maximum?.Value;
        }

        var pattern = property.GetCustomAttribute<PatternAttribute>();
        var minLength = property.GetCustomAttribute<MinLengthAttribute>();
        var maxLength = property.GetCustomAttribute<MaxLengthAttribute>();
        if (pattern is null && minLength is null && maxLength is null)
        {
            return;
        }
        // On a list of strings the constraints hold for every item.
        var target = schema.Type == "array" ? (V1JSONSchemaProps)schema.Items : schema;
        if (target.Type != "string")
        {
            throw Error(property, "has a string constraint but is neither a string nor a list of strings");
        }
        target.Pattern = pattern?.Regex;
        target.MinLength = minLength?.Length;
        target.MaxLength = maxLength?.Length;
    }

    private static void ApplyDefault(V1JSONSchemaProps schema, PropertyInfo property)
    {
        var value = property.GetCustomAttribute<DefaultValueAttribute>();
        var emptyObject = property.GetCustomAttribute<DefaultObjectAttribute>();
        if (value is not null && emptyObject is not null)
        {
            throw Error(property, "has both [DefaultValue] and [DefaultObject]");
        }
        if (emptyObject is not null)
        {
            schema.DefaultProperty = schema.Type == "object"
                ? new Dictionary<string, object>()
                : throw Error(property, "has [DefaultObject] but is not an object");
        }
        else if (value is not null)
        {
            schema.DefaultProperty = value.Value switch
            {
                Enum member => member.ToString(),
                string or int or long or bool => value.Value,
                _ => throw Error(property, $"has a [DefaultValue] of unsupported type {value.Value?.GetType().Name ?? "null"}"),
            };
        }
    }

    private static void ApplyListMapKey(V1JSONSchemaProps schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<ListMapKeyAttribute>() is not { } key)
        {
            return;
        }
        var items = schema.Type == "array" ? (V1JSONSchemaProps)schema.Items : throw Error(property, "has [ListMapKey] but is not a list");
        if (items.Required?.Contains(key.Key) != true)
        {
            throw Error(property, $"is a map list keyed by {key.Key}, which the items do not require");
        }
        schema.XKubernetesListType = "map";
        schema.XKubernetesListMapKeys = [key.Key];
    }

    private static bool IsStringMap(Type type) =>
        type.IsGenericType
        && (type.GetGenericTypeDefinition() == typeof(IDictionary<,>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        && type.GetGenericArguments() is [var key, var value] && key == typeof(string) && value == typeof(string);

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IReadOnlyList<>)))
        {
            return type.GetGenericArguments()[0];
        }
        return null;
    }

    private static string? DescriptionOf(Type type) => type.GetCustomAttribute<DescriptionAttribute>()?.Description;

    private static InvalidOperationException Error(PropertyInfo property, string problem) =>
        new($"{property.DeclaringType?.Name}.{property.Name} {problem}.");
}
