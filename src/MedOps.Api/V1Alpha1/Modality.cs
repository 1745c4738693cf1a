using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>The kind of clinical data a model takes as input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Modality>))]
public enum Modality
{
    /// <summary>Medical images: radiographs, CT, MRI, pathology slides.</summary>
    Imaging,

    /// <summary>Clinical text: notes, reports.</summary>
    Text,

    /// <summary>Structured records: labs, vitals, claims.</summary>
    Tabular,

    /// <summary>Waveforms: ECG, EEG, monitoring.</summary>
    Signal,

    /// <summary>Sequencing and variant data.</summary>
    Genomics,

    /// <summary>More than one of the above.</summary>
    Multimodal,
}
