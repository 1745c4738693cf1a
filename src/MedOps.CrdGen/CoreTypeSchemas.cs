using k8s.Models;

namespace MedOps.CrdGen;

/// <summary>
/// Schemas of the Kubernetes core types that the MedOps API embeds. They carry no schema
/// attributes of ours, so they are written here once, with Kubernetes' own descriptions and
/// validation (as controller-gen writes them for Go operators).
/// </summary>
internal static class CoreTypeSchemas
{
    /// <summary>
    /// The schema of a kind's metadata. The API server validates ObjectMeta itself and refuses a
    /// CRD that says anything more about it (even a description) than its type.
    /// </summary>
    public static V1JSONSchemaProps ObjectMeta => new() { Type = "object" };

    /// <summary>
    /// The schema of <paramref name="type"/>, or null when it is not a known core type. Without a
    /// <paramref name="description"/> (list items), the type's own description is used.
    /// </summary>
    public static V1JSONSchemaProps? For(Type type, string? description) => type switch
    {
        _ when type == typeof(V1EnvVar) => EnvVar(description ?? "An environment variable of a container."),
        _ when type == typeof(V1Toleration) => Toleration(description ?? "A taint the pod tolerates (core/v1 Toleration)."),
        _ when type == typeof(V1Condition) => Condition(description ?? "One aspect of the current state of the object, in the metav1.Condition shape."),
        _ => null,
    };

    // The valueFrom sources are kept as the user wrote them: the API server validates them when
    // the operator copies them into a pod, and newer Kubernetes versions add sources.
    private static V1JSONSchemaProps EnvVar(string description) => new()
    {
        Type = "object",
        Description = description,
        Required = ["name"],
        Properties = Sorted(
            ("name", new V1JSONSchemaProps { Type = "string", MinLength = 1, Description = "Name of the environment variable." }),
            ("value", new V1JSONSchemaProps { Type = "string", Description = "Value of the variable; $(VAR_NAME) references to variables defined before it are expanded. Defaults to \"\"." }),
            ("valueFrom", new V1JSONSchemaProps
            {
                Type = "object",
                XKubernetesPreserveUnknownFields = true,
                Description = "Source of the value instead of value, as in a core/v1 EnvVar: configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef.",
            })),
    };

    // The enums are Kubernetes' own values; the cross-field rules (Exists takes no value, a
    // missing key needs Exists, tolerationSeconds only with NoExecute) are the validators'.
    private static V1JSONSchemaProps Toleration(string description) => new()
    {
        Type = "object",
        Description = description,
        Properties = Sorted(
            ("effect", new V1JSONSchemaProps { Type = "string", EnumProperty = ["NoSchedule", "PreferNoSchedule", "NoExecute"], Description = "The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; every effect when omitted." }),
            ("key", new V1JSONSchemaProps { Type = "string", Description = "The taint key to match; every key when omitted, which needs operator Exists." }),
            ("operator", new V1JSONSchemaProps { Type = "string", EnumProperty = ["Exists", "Equal"], Description = "Exists (any value) or Equal (the value below); Equal when omitted." }),
            ("tolerationSeconds", new V1JSONSchemaProps { Type = "integer", Format = "int64", Description = "How long a NoExecute taint is tolerated before the pod is evicted; forever when omitted." }),
            ("value", new V1JSONSchemaProps { Type = "string", Description = "The taint value to match with operator Equal; empty with Exists." })),
    };

    private static V1JSONSchemaProps Condition(string description) => new()
    {
        Type = "object",
        Description = description,
        Required = ["lastTransitionTime", "message", "reason", "status", "type"],
        Properties = Sorted(
            ("lastTransitionTime", new V1JSONSchemaProps
            {
                Type = "string",
                Format = "date-time",
                Description = "Last time the condition transitioned from one status to another.",
            }),
            ("message", new V1JSONSchemaProps
            {
                Type = "string",
                MaxLength = 32768,
                Description = "Human-readable message with details about the transition; may be empty.",
            }),
            ("observedGeneration", new V1JSONSchemaProps
            {
                Type = "integer",
                Format = "int64",
                Minimum = 0,
                Description = "The metadata.generation the condition was set for; the condition is out of date when it is lower than metadata.generation.",
            }),
            ("reason", new V1JSONSchemaProps
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "Programmatic identifier of the reason for the last transition, in CamelCase.",
            }),
            ("status", new V1JSONSchemaProps
            {
                Type = "string",
                EnumProperty = ["True", "False", "Unknown"],
                Description = "Status of the condition: True, False or Unknown.",
            }),
            ("type", new V1JSONSchemaProps
            {
                Type = "string",
                MaxLength = 316,
                Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "Type of the condition in CamelCase, for example Ready.",
            })),
    };

    private static SortedDictionary<string, V1JSONSchemaProps> Sorted(params (string Name, V1JSONSchemaProps Schema)[] properties)
    {
        var sorted = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        foreach (var (name, schema) in properties)
        {
            sorted.Add(name, schema);
        }
        return sorted;
    }
}
