namespace MedOps.Operator.Cluster;

/// <summary>Where the operator's connection to the API server is configured.</summary>
internal abstract record KubeconfigSource
{
    /// <summary>A short description for the start-up log line.</summary>
    public abstract string Describe();

    /// <summary>A kubeconfig file; <paramref name="Origin"/> says how it was chosen (for logs).</summary>
    internal sealed record File(string Path, string Origin) : KubeconfigSource
    {
        /// <inheritdoc />
        public override string Describe() => $"{Path} (from {Origin})";
    }

    /// <summary>The pod's service account token and the <c>KUBERNETES_SERVICE_*</c> variables.</summary>
    internal sealed record InCluster : KubeconfigSource
    {
        /// <inheritdoc />
        public override string Describe() => "in-cluster service account";
    }
}
