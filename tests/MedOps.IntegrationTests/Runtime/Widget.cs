using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>A throw-away custom resource for exercising the runtime without any MedOps kind.</summary>
[KubernetesEntity(Group = Widget.Group, ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "runtime.test.medops.io";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public static Widget Create(string name, string message, bool poison = false, bool hang = false, bool finalizer = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new WidgetSpec { Message = message, Poison = poison, Hang = hang, Finalizer = finalizer },
    };

    public static string CrdYaml => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.{{Group}}}
        spec:
          group: {{Group}}
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      message: {type: string}
                      poison: {type: boolean}
                      hang: {type: boolean}
                      finalizer: {type: boolean}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;
}

public sealed class WidgetSpec
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";

    [JsonPropertyName("poison")]
    public bool Poison { get; set; }

    [JsonPropertyName("hang")]
    public bool Hang { get; set; }

    [JsonPropertyName("finalizer")]
    public bool Finalizer { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }
}
