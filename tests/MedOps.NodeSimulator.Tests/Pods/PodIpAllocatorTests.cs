using MedOps.NodeSimulator.Pods;

namespace MedOps.NodeSimulator.Tests.Pods;

public class PodIpAllocatorTests
{
    [Fact]
    public void Each_pod_gets_its_own_address_and_keeps_it()
    {
        var allocator = new PodIpAllocator();

        var a = allocator.GetOrAllocate("a");
        var b = allocator.GetOrAllocate("b");

        Assert.NotEqual(a, b);
        Assert.Equal(a, allocator.GetOrAllocate("a"));
        Assert.StartsWith("10.24", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_that_pods_already_have_are_not_handed_out_again()
    {
        var allocator = new PodIpAllocator();
        allocator.Reserve("old", "10.244.0.1");
        allocator.Reserve("older", "10.244.0.2");

        Assert.Equal("10.244.0.3", allocator.GetOrAllocate("new"));
    }

    [Fact]
    public void Addresses_ending_in_0_or_255_are_skipped()
    {
        var allocator = new PodIpAllocator();

        var addresses = Enumerable.Range(0, 600).Select(i => allocator.GetOrAllocate($"pod-{i}")).ToList();

        Assert.Equal(600, addresses.Distinct().Count());
        Assert.DoesNotContain(addresses, a => a.EndsWith(".0", StringComparison.Ordinal) || a.EndsWith(".255", StringComparison.Ordinal));
    }
}
