using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Controllers.Admission;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>
/// The MedOps validators behind an <see cref="AdmissionDispatcher"/>, as the webhook serves
/// them, over a fake cluster and a fake RBAC.
/// </summary>
internal sealed class AdmissionHarness
{
    /// <summary>The user every request comes from.</summary>
    public const string User = "alice";

    /// <summary>The StorageClass the tests list in guardrails.phiStorageClasses.</summary>
    public const string EncryptedClass = "encrypted-ssd";

    /// <summary>A StorageClass never listed.</summary>
    public const string PlainClass = "standard";

    public FakeAdmissionLookups Cluster { get; } = new();

    public FakeAccessReviewer Reviewer { get; } = new();

    /// <summary>The guardrails; the built-in defaults until a test changes them.</summary>
    public GuardrailSettings Settings { get; set; } = new();

    /// <summary>
    /// False to send requests to the validating webhook only, as when the mutating webhook is not
    /// installed (or a client forges what it would have set).
    /// </summary>
    public bool MutatingWebhook { get; set; } = true;

    /// <summary>Told of every validated request, when set (the audit trail).</summary>
    public IAdmissionObserver? Observer { get; set; }

    public AdmissionDispatcher Dispatcher() =>
        new(MedOpsAdmission.Validators(Settings, Cluster, Reviewer), TimeSpan.FromSeconds(30), NullLogger.Instance,
            MedOpsAdmission.Mutators(), Observer);

    /// <summary>
    /// The request as the API server handles it: the mutating webhook's patch applied to the
    /// object (unless <see cref="MutatingWebhook"/> is false), then the validating webhook's answer.
    /// </summary>
    public async Task<AdmissionResponse> DecideAsync(AdmissionRequest request)
    {
        var dispatcher = Dispatcher();
        if (MutatingWebhook && request.Object is { } obj)
        {
            var mutation = await dispatcher.MutateAsync(request, CancellationToken.None);
            if (!mutation.Allowed)
            {
                return mutation;
            }
            if (mutation.Patch is { } patch)
            {
                Assert.Equal("JSONPatch", mutation.PatchType);
                request.Object = JsonPatch.Apply(obj, patch);
            }
        }
        return await dispatcher.DecideAsync(request, CancellationToken.None);
    }

    /// <summary>A CREATE of <paramref name="obj"/> by alice.</summary>
    public static AdmissionRequest Create(IKubernetesObject<V1ObjectMeta> obj) => Request("CREATE", obj, null);

    /// <summary>An UPDATE of <paramref name="old"/> to <paramref name="obj"/> by alice.</summary>
    public static AdmissionRequest Update(IKubernetesObject<V1ObjectMeta> old, IKubernetesObject<V1ObjectMeta> obj) => Request("UPDATE", obj, old);

    /// <summary>
    /// A DELETE of <paramref name="stored"/> by alice: no object, the stored one as oldObject, and
    /// the DeleteOptions with <paramref name="propagationPolicy"/> when one is given.
    /// </summary>
    public static AdmissionRequest Delete(IKubernetesObject<V1ObjectMeta> stored, string? propagationPolicy = null)
    {
        var request = Request("DELETE", stored, stored);
        request.Object = null;
        request.Options = propagationPolicy is null
            ? Options("""{"apiVersion": "meta.k8s.io/v1", "kind": "DeleteOptions"}""")
            : Options($$"""{"apiVersion": "meta.k8s.io/v1", "kind": "DeleteOptions", "propagationPolicy": "{{propagationPolicy}}"}""");
        return request;
    }

    /// <summary><paramref name="request"/>, sent by <paramref name="user"/> instead of alice.</summary>
    public static AdmissionRequest By(string user, AdmissionRequest request)
    {
        request.UserInfo = new AdmissionUser { Username = user, Groups = ["system:authenticated"] };
        return request;
    }

    /// <summary>A request's options as the API server sends them.</summary>
    public static JsonElement Options(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The object as the API server puts it into the AdmissionReview.</summary>
    public static JsonElement Element(object obj)
    {
        using var document = JsonDocument.Parse(KubeJson.SerializeToUtf8Bytes(obj));
        return document.RootElement.Clone();
    }

    private static AdmissionRequest Request(string operation, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old) => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Kind = new GroupVersionKind { Group = "medops.io", Version = "v1alpha1", Kind = obj.Kind },
        Operation = operation,
        Namespace = obj.Metadata.NamespaceProperty,
        Name = obj.Metadata.Name,
        UserInfo = new AdmissionUser { Username = User, Groups = ["system:authenticated"] },
        Object = Element(obj),
        OldObject = old is null ? null : Element(old),
    };
}
