using k8s;

namespace MedOps.NodeSimulator.Tests;

public class SimulatorTests
{
    [Fact]
    public void Invalid_options_are_refused_up_front()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

        var error = Assert.Throws<ArgumentException>(() => new Simulator(client, new SimulatorOptions { CpuNodes = -1 }, TextWriter.Null));

        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_node_names_follow_the_options()
    {
        var names = Simulator.NodeNames(new SimulatorOptions { CpuNodes = 1, GpuA100Nodes = 0, GpuT4Nodes = 2 });

        Assert.Equal(["sim-cpu-0", "sim-gpu-t4-0", "sim-gpu-t4-1"], names);
    }

    [Fact]
    public async Task Cancelling_returns_normally_even_while_the_apiserver_is_unreachable()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var output = new StringWriter();
        var simulator = new Simulator(client, new SimulatorOptions(), output);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await simulator.RunAsync(stop.Token);

        Assert.Contains("simulator stopped", output.ToString(), StringComparison.Ordinal);
    }
}
