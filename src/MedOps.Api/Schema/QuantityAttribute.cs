using System.Text.Json.Serialization;
using MedOps.Api.Serialization;

namespace MedOps.Api.Schema;

/// <summary>
/// A Kubernetes quantity (<c>4</c>, <c>"500m"</c>, <c>16Gi</c>) kept as the exact text the user
/// wrote, so it is never re-serialised into another spelling (<c>100m</c> stays <c>100m</c>; a
/// rewritten quantity is a perpetual diff for GitOps tools). In the CRD it becomes
/// <c>x-kubernetes-int-or-string</c> with the quantity pattern; in JSON it reads numbers and
/// strings alike.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QuantityAttribute() : JsonConverterAttribute(typeof(QuantityJsonConverter))
{
    /// <summary>
    /// The pattern of <c>resource.Quantity</c> in string form, as Kubernetes' own CRD generator
    /// (controller-gen) writes it.
    /// </summary>
    public const string Pattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";
}
