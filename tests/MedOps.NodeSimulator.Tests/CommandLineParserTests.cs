namespace MedOps.NodeSimulator.Tests;

public class CommandLineParserTests
{
    private static CommandLineResult Parse(string? kubeconfigFromEnvironment, params string[] args) =>
        CommandLineParser.Parse(args, kubeconfigFromEnvironment);

    [Fact]
    public void Only_the_kubeconfig_is_required_and_everything_else_has_defaults()
    {
        var result = Parse(null, "--kubeconfig", "/tmp/kc");

        var commandLine = Assert.IsType<CommandLine>(result.CommandLine);
        Assert.Equal("/tmp/kc", commandLine.KubeconfigPath);
        Assert.Equal(new SimulatorOptions(), commandLine.Options);
        Assert.Equal(2, commandLine.Options.CpuNodes);
        Assert.Equal(2, commandLine.Options.GpuA100Nodes);
        Assert.Equal(1, commandLine.Options.GpuT4Nodes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), commandLine.Options.StartupDelay);
        Assert.True(commandLine.Options.InstallKubeVirtCrds);
        Assert.True(commandLine.Options.SimulateStorage);
    }

    [Fact]
    public void Every_flag_is_understood_in_both_spellings()
    {
        var result = Parse(null, "--kubeconfig=/tmp/kc", "--cpu-nodes", "4", "--gpu-a100-nodes=0", "--gpu-t4-nodes", "3",
            "--startup-delay-ms", "0", "--no-kubevirt", "--no-storage", "--host-path-root=/c/volumes/");

        var options = result.CommandLine!.Options;
        Assert.Equal(4, options.CpuNodes);
        Assert.Equal(0, options.GpuA100Nodes);
        Assert.Equal(3, options.GpuT4Nodes);
        Assert.Equal(TimeSpan.Zero, options.StartupDelay);
        Assert.False(options.InstallKubeVirtCrds);
        Assert.False(options.SimulateStorage);
        Assert.Equal("/c/volumes/", options.HostPathRoot);
    }

    [Fact]
    public void The_kubeconfig_falls_back_to_the_environment()
    {
        Assert.Equal("/env/kc", Parse("/env/kc").CommandLine!.KubeconfigPath);
        Assert.Equal("/flag/kc", Parse("/env/kc", "--kubeconfig", "/flag/kc").CommandLine!.KubeconfigPath);
    }

    [Theory]
    [InlineData("--kubeconfig is required", "")]
    [InlineData("unknown argument '--gpus'", "--kubeconfig k --gpus 3")]
    [InlineData("--cpu-nodes needs a value", "--kubeconfig k --cpu-nodes")]
    [InlineData("--cpu-nodes needs a whole number", "--kubeconfig k --cpu-nodes -1")]
    [InlineData("--startup-delay-ms needs a whole number", "--kubeconfig k --startup-delay-ms 0.5")]
    [InlineData("at most 200 nodes", "--kubeconfig k --cpu-nodes 300")]
    [InlineData("--no-kubevirt takes no value", "--kubeconfig k --no-kubevirt=yes")]
    [InlineData("--no-storage takes no value", "--kubeconfig k --no-storage=yes")]
    [InlineData("--host-path-root needs an absolute path, got 'volumes'", "--kubeconfig k --host-path-root volumes")]
    public void Bad_flags_give_one_clear_error(string expected, string commandLine)
    {
        var result = Parse(null, commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Null(result.CommandLine);
        Assert.False(result.HelpRequested);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(Parse(null, "--help").HelpRequested);
        Assert.True(Parse(null, "-h").HelpRequested);
    }
}
