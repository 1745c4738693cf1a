namespace MedOps.Controllers.Shared;

/// <summary>
/// How the operator runs the model-initializer image (<c>src/MedOps.ModelInitializer</c>): its
/// command and the variables it reads. One place for both of its uses, the model servers' init
/// container and the TrainingJob's output-digest pod.
/// </summary>
public static class ModelInitializerContract
{
    /// <summary>The container's name in both uses.</summary>
    public const string ContainerName = "model-initializer";

    /// <summary>The command that fetches (or, for pvc://, reads in place) and verifies; the image's other one, digest, is for users.</summary>
    public const string FetchCommand = "fetch";

    /// <summary>The model URI.</summary>
    public const string ModelUriEnv = "MODEL_URI";

    /// <summary>The pinned digest (optional).</summary>
    public const string ModelDigestEnv = "MODEL_DIGEST";

    /// <summary>The model folder.</summary>
    public const string ModelDirEnv = "MODEL_DIR";

    /// <summary>Where the model is mounted.</summary>
    public const string ModelMountPath = "/mnt/models";
}
