using MedOps.NodeSimulator.KubeVirt;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class KubeVirtCrdsTests
{
    [Fact]
    public void The_embedded_crds_define_virtual_machines_and_data_volumes()
    {
        var crds = KubeVirtCrds.Load().ToDictionary(c => c.Metadata.Name);

        Assert.Equal(["datavolumes.cdi.kubevirt.io", "virtualmachines.kubevirt.io"], crds.Keys.Order());

        var vm = crds["virtualmachines.kubevirt.io"].Spec;
        Assert.Equal(("kubevirt.io", "Namespaced", "VirtualMachine", "virtualmachines"), (vm.Group, vm.Scope, vm.Names.Kind, vm.Names.Plural));
        Assert.Contains("vm", vm.Names.ShortNames);
        var vmVersion = Assert.Single(vm.Versions);
        Assert.Equal("v1", vmVersion.Name);
        Assert.NotNull(vmVersion.Subresources.Status);
        Assert.Equal(
            [("Age", ".metadata.creationTimestamp"), ("Status", ".status.printableStatus"), ("Ready", ".status.ready")],
            vmVersion.AdditionalPrinterColumns.Select(c => (c.Name, c.JsonPath)));

        var dv = crds["datavolumes.cdi.kubevirt.io"].Spec;
        Assert.Equal(("cdi.kubevirt.io", "DataVolume", "datavolumes"), (dv.Group, dv.Names.Kind, dv.Names.Plural));
        Assert.Contains("dv", dv.Names.ShortNames);
        var dvVersion = Assert.Single(dv.Versions);
        Assert.Equal("v1beta1", dvVersion.Name);
        Assert.Contains(("Phase", ".status.phase"), dvVersion.AdditionalPrinterColumns.Select(c => (c.Name, c.JsonPath)));
        Assert.Contains(("Progress", ".status.progress"), dvVersion.AdditionalPrinterColumns.Select(c => (c.Name, c.JsonPath)));

        foreach (var version in new[] { vmVersion, dvVersion })
        {
            var schema = version.Schema.OpenAPIV3Schema;
            Assert.Equal("object", schema.Type);
            Assert.True(schema.Properties["spec"].XKubernetesPreserveUnknownFields);
            Assert.True(schema.Properties["status"].XKubernetesPreserveUnknownFields);
        }
    }
}
