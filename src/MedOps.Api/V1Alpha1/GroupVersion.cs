namespace MedOps.Api.V1Alpha1;

/// <summary>The API group and version of every MedOps kind, and the kubectl category they share.</summary>
public static class GroupVersion
{
    /// <summary>The API group.</summary>
    public const string Group = "medops.io";

    /// <summary>The version of this API.</summary>
    public const string Version = "v1alpha1";

    /// <summary>The <c>apiVersion</c> of the kinds: group/version.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The kubectl category: <c>kubectl get medops</c> lists all three kinds.</summary>
    public const string Category = "medops";
}
