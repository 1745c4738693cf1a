using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Beds;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Workspaces;

/// <summary>
/// One test's world: a fresh namespace and the real operator process watching only it, plus
/// helpers to apply workspaces, read their VMs and DataVolumes (as JSON: the tests do not share
/// the operator's KubeVirt types), and wait on conditions.
/// </summary>
internal sealed class WorkspaceTestBed : KindTestBed<V1Alpha1Workspace>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private WorkspaceTestBed(LocalCluster cluster, TestNamespace ns)
        : base(cluster, ns, Timeout)
    {
    }

    public static Task<WorkspaceTestBed> StartAsync(LocalCluster cluster, string prefix) =>
        StartAsync(cluster, prefix, ns => new WorkspaceTestBed(cluster, ns));

    /// <summary>The workspace: 2 cores, 1Gi, a 20Gi disk from the Ubuntu container disk, PHI.</summary>
    public JsonObject Workspace(string name) =>
        Manifests.MinimalWorkspace(name, Ns)
            .With("spec.cpu", "2")
            .With("spec.memory", "\"1Gi\"")
            .With("spec.disk", """{"size": "20Gi"}""")
            .With("spec.dataClassification", "\"PHI\"");

    public Task<V1Alpha1Workspace> WaitPhaseAsync(string name, WorkspacePhase phase, bool ready) =>
        WaitAsync(name, w => w.Status?.ObservedGeneration == w.Metadata.Generation && w.Status?.Phase == phase
            && Conditions.IsTrue(w.Status?.Conditions, ConditionTypes.Ready) == ready,
            $"workspace {name} to be {phase} with Ready={ready}");

    public Task<V1Alpha1Workspace> WaitStalledAsync(string name, string reason, TimeSpan? timeout = null) =>
        WaitAsync(name, w => w.Status?.ObservedGeneration == w.Metadata.Generation && TrueAndNotReady(w.Status?.Conditions, ConditionTypes.Stalled, reason),
            $"workspace {name} to be Stalled with reason {reason}", timeout);

    /// <summary>The VirtualMachine, or null when it does not exist.</summary>
    public Task<JsonElement?> VmAsync(string name) => GetCustomAsync("kubevirt.io", "v1", "virtualmachines", name);

    /// <summary>The DataVolume, or null when it does not exist.</summary>
    public Task<JsonElement?> DataVolumeAsync(string name) => GetCustomAsync("cdi.kubevirt.io", "v1beta1", "datavolumes", name);

    public async Task<JsonElement> WaitVmAsync(string name, Func<JsonElement, bool> condition, string because) =>
        (await WaitForAsync(() => VmAsync(name), vm => vm is { } v && condition(v), Timeout, because))!.Value;

    public async Task<JsonElement> WaitDataVolumeAsync(string name) =>
        (await Eventually.WaitForAsync(() => DataVolumeAsync(name), dv => dv is not null, Timeout, $"DataVolume {name} to exist"))!.Value;

    private async Task<JsonElement?> GetCustomAsync(string group, string version, string plural, string name)
    {
        try
        {
            var obj = await Client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, Ns, plural, name);
            return JsonSerializer.SerializeToElement(obj);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

/// <summary>Reading VM and DataVolume JSON by path.</summary>
internal static class JsonPath
{
    /// <summary>The element at a dotted path (array indexes as numbers), or null.</summary>
    public static JsonElement? At(this JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, out var index))
            {
                if (index >= current.GetArrayLength())
                {
                    return null;
                }
                current = current[index];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    public static string? Text(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.String } e ? e.GetString() : element.At(path)?.GetRawText();
}
