using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// How sensitive the data a workload sees is, in HIPAA's terms. PHI and LimitedDataSet
/// workloads get a NetworkPolicy that confines their traffic.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataClassification>))]
public enum DataClassification
{
    /// <summary>Protected health information: the safe default.</summary>
    PHI,

    /// <summary>A HIPAA limited data set: direct identifiers removed, some dates and places kept.</summary>
    LimitedDataSet,

    /// <summary>De-identified under HIPAA (Safe Harbor or Expert Determination).</summary>
    DeIdentified,

    /// <summary>Public data.</summary>
    Public,
}
