using System.Text.Json;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces.Builders;

namespace MedOps.Controllers.Tests.Workspaces;

public class WorkspaceVirtualMachineBuilderTests
{
    [Theory]
    [InlineData(true, "Always")]
    [InlineData(false, "Halted")]
    public void The_run_strategy_follows_running(bool running, string strategy)
    {
        var vm = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Running = running));

        Assert.Equal(strategy, vm.Spec!.RunStrategy);
    }

    [Fact]
    public void The_vm_is_a_kubevirt_v1_virtual_machine_named_after_the_workspace()
    {
        var vm = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith());

        Assert.Equal("kubevirt.io/v1", vm.ApiVersion);
        Assert.Equal("VirtualMachine", vm.Kind);
        Assert.Equal(TestWorkspaces.Name, vm.Metadata.Name);
        Assert.Equal(TestWorkspaces.Namespace, vm.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Cores_memory_guest_and_memory_request_come_from_the_spec_unchanged()
    {
        var domain = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => { s.Cpu = 6; s.Memory = "1536Mi"; })).Spec!.Template!.Spec!.Domain!;

        Assert.Equal(6, domain.Cpu!.Cores);
        Assert.Equal("1536Mi", domain.Memory!.Guest);
        Assert.Equal("1536Mi", domain.Resources!.Requests!["memory"]);
        Assert.Single(domain.Resources.Requests);
    }

    [Fact]
    public void The_root_disk_is_a_virtio_disk_on_the_rootdisk_data_volume()
    {
        var spec = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith()).Spec!;

        var disk = Assert.Single(spec.Template!.Spec!.Domain!.Devices!.Disks!);
        Assert.Equal("rootdisk", disk.Name);
        Assert.Equal("virtio", disk.Disk!.Bus);
        var volume = Assert.Single(spec.Template.Spec.Volumes!);
        Assert.Equal("rootdisk", volume.Name);
        Assert.Equal("dr-smith-rootdisk", volume.DataVolume!.Name);
        var template = Assert.Single(spec.DataVolumeTemplates!);
        Assert.Equal("dr-smith-rootdisk", template.Metadata!.Name);
    }

    [Fact]
    public void The_disk_template_has_the_size_and_no_storage_class_when_none_is_set()
    {
        foreach (var storageClass in new string?[] { null, "" })
        {
            var template = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Disk = new WorkspaceDisk { Size = "50Gi", StorageClassName = storageClass })).Spec!.DataVolumeTemplates![0];

            Assert.Equal("50Gi", template.Spec!.Storage!.Resources!.Requests!["storage"]);
            Assert.Null(template.Spec.Storage.StorageClassName);
            // Never "": the 1.20 apiserver refuses empty strings inside custom resources.
            Assert.DoesNotContain("storageClassName", KubernetesJson.Serialize(template), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_storage_class_is_set_when_given()
    {
        var template = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Disk.StorageClassName = "fast-ssd")).Spec!.DataVolumeTemplates![0];

        Assert.Equal("fast-ssd", template.Spec!.Storage!.StorageClassName);
    }

    [Fact]
    public void A_container_disk_is_a_registry_source_with_the_docker_scheme()
    {
        var source = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith()).Spec!.DataVolumeTemplates![0].Spec!.Source!;

        Assert.Equal("docker://quay.io/containerdisks/ubuntu:22.04", source.Registry!.Url);
        Assert.Null(source.Http);
        Assert.Null(source.Pvc);
    }

    [Fact]
    public void An_http_image_is_an_http_source()
    {
        var source = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Image = new WorkspaceImage { Http = "https://images.example/ubuntu.qcow2" }))
            .Spec!.DataVolumeTemplates![0].Spec!.Source!;

        Assert.Equal("https://images.example/ubuntu.qcow2", source.Http!.Url);
        Assert.Null(source.Registry);
        Assert.Null(source.Pvc);
    }

    [Fact]
    public void A_pvc_image_is_a_clone_source()
    {
        var source = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Image = new WorkspaceImage { Pvc = new PvcImageSource { Namespace = "golden", Name = "ubuntu-22" } }))
            .Spec!.DataVolumeTemplates![0].Spec!.Source!;

        Assert.Equal("golden", source.Pvc!.Namespace);
        Assert.Equal("ubuntu-22", source.Pvc.Name);
        Assert.Null(source.Registry);
        Assert.Null(source.Http);
    }

    [Fact]
    public void Building_without_an_image_source_throws()
    {
        Assert.Throws<ArgumentException>(() => WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Image = new WorkspaceImage())));
    }

    [Fact]
    public void Each_gpu_is_one_entry_of_the_device_name()
    {
        var gpus = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Gpu = new WorkspaceGpu { Count = 2, DeviceName = "nvidia.com/GA100_A100_PCIE_40GB" }))
            .Spec!.Template!.Spec!.Domain!.Devices!.Gpus!;

        Assert.Equal(["gpu0", "gpu1"], gpus.Select(g => g.Name));
        Assert.All(gpus, g => Assert.Equal("nvidia.com/GA100_A100_PCIE_40GB", g.DeviceName));
    }

    [Fact]
    public void A_gpu_vm_tolerates_the_gpu_taint_and_its_device_taint_as_gpu_pods_do()
    {
        var tolerations = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Gpu = new WorkspaceGpu { Count = 1, DeviceName = "nvidia.com/GA100_A100_PCIE_40GB" }))
            .Spec!.Template!.Spec!.Tolerations!;

        Assert.Equal(["nvidia.com/gpu", "nvidia.com/GA100_A100_PCIE_40GB"], tolerations.Select(t => t.Key));
        Assert.All(tolerations, t =>
        {
            Assert.Equal("Exists", t.OperatorProperty);
            Assert.Equal("NoSchedule", t.Effect);
            Assert.Null(t.Value);
        });
    }

    [Fact]
    public void A_vm_whose_device_is_nvidia_gpu_tolerates_that_taint_once()
    {
        var tolerations = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Gpu = new WorkspaceGpu { Count = 2, DeviceName = "nvidia.com/gpu" }))
            .Spec!.Template!.Spec!.Tolerations!;

        Assert.Equal(["nvidia.com/gpu"], tolerations.Select(t => t.Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_gpus_there_is_no_gpus_list_and_no_toleration(bool zeroCount)
    {
        var vm = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Gpu = zeroCount ? new WorkspaceGpu { Count = 0, DeviceName = "nvidia.com/x" } : null));

        Assert.Null(vm.Spec!.Template!.Spec!.Domain!.Devices!.Gpus);
        Assert.Null(vm.Spec.Template.Spec.Tolerations);
        var json = KubernetesJson.Serialize(vm);
        Assert.DoesNotContain("gpus", json, StringComparison.Ordinal);
        Assert.DoesNotContain("tolerations", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Vm_template_and_disk_carry_the_child_labels_and_not_the_workspace_labels()
    {
        var vm = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith());

        Assert.Equal(TestWorkspaces.ChildLabels, vm.Metadata.Labels);
        Assert.Equal(TestWorkspaces.ChildLabels, vm.Spec!.Template!.Metadata!.Labels);
        Assert.Equal(TestWorkspaces.ChildLabels, vm.Spec.DataVolumeTemplates![0].Metadata!.Labels);
        Assert.Null(vm.Metadata.Annotations);
    }

    [Fact]
    public void The_vm_has_a_controller_owner_reference_to_the_workspace()
    {
        var owner = Assert.Single(WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith()).Metadata.OwnerReferences);

        Assert.Equal("medops.io/v1alpha1", owner.ApiVersion);
        Assert.Equal("Workspace", owner.Kind);
        Assert.Equal(TestWorkspaces.Name, owner.Name);
        Assert.Equal(TestWorkspaces.Uid, owner.Uid);
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
    }

    [Fact]
    public void The_json_has_kubevirt_field_names_no_nulls_and_no_status()
    {
        var json = KubernetesJson.Serialize(WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s => s.Gpu = new WorkspaceGpu { Count = 1, DeviceName = "nvidia.com/x" })));
        using var doc = JsonDocument.Parse(json);
        var spec = doc.RootElement.GetProperty("spec");

        Assert.Equal("Always", spec.GetProperty("runStrategy").GetString());
        var domain = spec.GetProperty("template").GetProperty("spec").GetProperty("domain");
        Assert.Equal(2, domain.GetProperty("cpu").GetProperty("cores").GetInt32());
        Assert.Equal("1Gi", domain.GetProperty("memory").GetProperty("guest").GetString());
        Assert.Equal("1Gi", domain.GetProperty("resources").GetProperty("requests").GetProperty("memory").GetString());
        Assert.Equal("nvidia.com/x", domain.GetProperty("devices").GetProperty("gpus")[0].GetProperty("deviceName").GetString());
        Assert.Equal("20Gi", spec.GetProperty("dataVolumeTemplates")[0].GetProperty("spec").GetProperty("storage").GetProperty("resources").GetProperty("requests").GetProperty("storage").GetString());
        Assert.False(doc.RootElement.TryGetProperty("status", out _));
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vm_gets_the_node_selector_and_the_users_tolerations_before_the_gpu_ones()
    {
        var vmi = WorkspaceVirtualMachineBuilder.Build(TestWorkspaces.DrSmith(s =>
        {
            s.Gpu = new WorkspaceGpu { Count = 1, DeviceName = "nvidia.com/gpu" };
            s.NodeSelector = new Dictionary<string, string> { ["medops.io/pool"] = "workspaces" };
            s.Tolerations = [new k8s.Models.V1Toleration { Key = "medops.io/workspaces", OperatorProperty = "Exists" }];
        })).Spec!.Template!.Spec!;

        Assert.Equal("workspaces", vmi.NodeSelector!["medops.io/pool"]);
        Assert.Equal(["medops.io/workspaces", "nvidia.com/gpu"], vmi.Tolerations!.Select(t => t.Key));
    }
}
