using System.Text.Json;
using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>
/// The node simulator plays KubeVirt and CDI: a VirtualMachine's disk is imported, then the VM
/// follows its runStrategy through Provisioning, Starting, Running and Stopped.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KubeVirtSimulationTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_virtual_machine_imports_its_disk_runs_and_stops_with_its_run_strategy()
    {
        await using var ns = await cluster.CreateNamespaceAsync("kubevirt-sim");
        var vm = JsonSerializer.Deserialize<JsonElement>("""
        {
          "apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
          "metadata": {"name": "vm1"},
          "spec": {
            "runStrategy": "Always",
            "dataVolumeTemplates": [{
              "metadata": {"name": "vm1-rootdisk"},
              "spec": {"storage": {"resources": {"requests": {"storage": "20Gi"}}},
                       "source": {"registry": {"url": "docker://quay.io/containerdisks/ubuntu:22.04"}}}
            }],
            "template": {"spec": {"domain": {"cpu": {"cores": 2}, "memory": {"guest": "1Gi"},
              "devices": {"disks": [{"name": "rootdisk", "disk": {"bus": "virtio"}}]}},
              "volumes": [{"name": "rootdisk", "dataVolume": {"name": "vm1-rootdisk"}}]}}
          }
        }
        """);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(vm, "kubevirt.io", "v1", ns.Name, "virtualmachines");

        var disk = await Eventually.WaitForAsync(
            () => GetAsync("cdi.kubevirt.io", "v1beta1", ns.Name, "datavolumes", "vm1-rootdisk"),
            d => Phase(d, "phase") == "Succeeded",
            Timeout,
            "the root disk DataVolume to be imported");
        Assert.Equal("vm1", disk.GetProperty("metadata").GetProperty("ownerReferences")[0].GetProperty("name").GetString());
        var diskUid = disk.GetProperty("metadata").GetProperty("uid").GetString();

        await Eventually.WaitForAsync(
            () => GetAsync("kubevirt.io", "v1", ns.Name, "virtualmachines", "vm1"),
            v => Phase(v, "printableStatus") == "Running" && Ready(v),
            Timeout,
            "the VM to be Running and ready");

        var halt = new k8s.Models.V1Patch("""{"spec":{"runStrategy":"Halted"}}""", k8s.Models.V1Patch.PatchType.MergePatch);
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(halt, "kubevirt.io", "v1", ns.Name, "virtualmachines", "vm1");
        await Eventually.WaitForAsync(
            () => GetAsync("kubevirt.io", "v1", ns.Name, "virtualmachines", "vm1"),
            v => Phase(v, "printableStatus") == "Stopped" && !Ready(v),
            Timeout,
            "the VM to be Stopped");

        var after = await GetAsync("cdi.kubevirt.io", "v1beta1", ns.Name, "datavolumes", "vm1-rootdisk");
        Assert.Equal(diskUid, after.GetProperty("metadata").GetProperty("uid").GetString());
    }

    private async Task<JsonElement> GetAsync(string group, string version, string ns, string plural, string name) =>
        (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns, plural, name);

    private static string? Phase(JsonElement obj, string field) =>
        obj.TryGetProperty("status", out var s) && s.TryGetProperty(field, out var p) ? p.GetString() : null;

    private static bool Ready(JsonElement obj) =>
        obj.TryGetProperty("status", out var s) && s.TryGetProperty("ready", out var r) && r.ValueKind == JsonValueKind.True;
}
