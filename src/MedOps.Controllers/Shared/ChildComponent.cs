namespace MedOps.Controllers.Shared;

/// <summary>Values of the <c>app.kubernetes.io/component</c> label, one per kind of MedOps workload.</summary>
public static class ChildComponent
{
    /// <summary>MedicalModel children: the inference server.</summary>
    public const string Inference = "inference";

    /// <summary>TrainingJob children: the training workers.</summary>
    public const string Training = "training";

    /// <summary>
    /// TrainingJob children: the pod that computes the digest of the job's output after its
    /// workers succeeded. Apart from <see cref="Training"/>, so that counting a job's workers
    /// never counts it.
    /// </summary>
    public const string OutputDigest = "output-digest";

    /// <summary>Workspace children: the virtual machine.</summary>
    public const string Workspace = "workspace";
}
