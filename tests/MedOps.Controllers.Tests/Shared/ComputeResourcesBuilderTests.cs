using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class ComputeResourcesBuilderTests
{
    [Fact]
    public void Requests_equal_limits_for_guaranteed_qos()
    {
        var resources = ComputeResourcesBuilder.Build(new ComputeResources { Cpu = "4", Memory = "16Gi" });

        Assert.Equal(["cpu", "memory"], resources.Limits.Keys.Order());
        Assert.Equal("4", resources.Limits["cpu"].ToString());
        Assert.Equal("16Gi", resources.Limits["memory"].ToString());
        Assert.Equal(resources.Limits.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()), resources.Requests.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
    }

    [Fact]
    public void Limits_and_requests_are_separate_dictionaries()
    {
        var resources = ComputeResourcesBuilder.Build(new ComputeResources { Cpu = "1", Memory = "1Gi" });

        Assert.NotSame(resources.Limits, resources.Requests);
    }

    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("100m", "100m")]
    [InlineData("1.5", "1500m")]
    [InlineData("0.50", "500m")]
    public void Cpu_goes_out_in_the_spelling_the_api_server_stores(string written, string stored)
    {
        // The server keeps quantities canonical; sending the same spelling avoids false drift.
        var resources = ComputeResourcesBuilder.Build(new ComputeResources { Cpu = written, Memory = "1Gi" });

        Assert.Equal(stored, resources.Limits["cpu"].ToString());
        Assert.Equal(stored, resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void No_gpu_is_added_here()
    {
        var resources = ComputeResourcesBuilder.Build(new ComputeResources { Cpu = "1", Memory = "1Gi", Gpu = new GpuSpec { Count = 2 } });

        Assert.DoesNotContain("nvidia.com/gpu", resources.Limits.Keys);
    }

    [Fact]
    public void An_invalid_quantity_is_refused_rather_than_sent()
    {
        Assert.Throws<ArgumentException>(() => ComputeResourcesBuilder.Build(new ComputeResources { Cpu = "four", Memory = "1Gi" }));
    }
}
