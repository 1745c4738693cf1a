using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>The serialisation format of the model artefact, for the serving runtime.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelFormat>))]
public enum ModelFormat
{
    /// <summary>ONNX.</summary>
    ONNX,

    /// <summary>PyTorch TorchScript.</summary>
    TorchScript,

    /// <summary>TensorFlow SavedModel.</summary>
    TensorFlow,

    /// <summary>A Triton Inference Server model repository.</summary>
    Triton,

    /// <summary>Anything the runtime image understands. The default.</summary>
    Custom,
}
