namespace MedOps.Cli.Tests;

public sealed class CommandLineTests
{
    private const string Head = "3f2a9c0e1b7d4a6f8e5c2b1a0d9f8e7c6b5a4d3c2b1a0f9e8d7c6b5a4f3e2d1c";

    [Fact]
    public void Verify_takes_the_namespace_and_defaults_the_rest()
    {
        var command = Assert.IsType<CliCommand.Verify>(CommandLine.Parse(["audit", "verify", "--namespace", "radiology"]));

        Assert.Equal(new ClusterFlags("radiology", "medops-system", null, null), command.Cluster);
        Assert.Null(command.Head);
    }

    [Fact]
    public void Verify_reads_every_flag_as_value_or_equals_value()
    {
        var command = Assert.IsType<CliCommand.Verify>(CommandLine.Parse(
            ["audit", "verify", "-n", "radiology", "--audit-namespace=ops", "--head", Head.ToUpperInvariant(), "--kubeconfig", "/tmp/kc", "--context=lab"]));

        Assert.Equal(new ClusterFlags("radiology", "ops", "/tmp/kc", "lab"), command.Cluster);
        Assert.Equal(Head, command.Head);
    }

    [Fact]
    public void History_takes_kind_slash_name()
    {
        var command = Assert.IsType<CliCommand.History>(CommandLine.Parse(["audit", "history", "medicalmodel/chest-xray", "--namespace", "radiology"]));

        Assert.Equal("medicalmodel", command.Kind);
        Assert.Equal("chest-xray", command.Name);
        Assert.Equal("radiology", command.Cluster.Namespace);
    }

    [Fact]
    public void The_cluster_chain_is_a_namespace_too()
    {
        var command = Assert.IsType<CliCommand.Verify>(CommandLine.Parse(["audit", "verify", "--namespace", "_cluster"]));
        Assert.Equal("_cluster", command.Cluster.Namespace);
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "deploy" }, "unknown command \"deploy\"")]
    [InlineData(new[] { "audit" }, "audit needs a command: verify or history")]
    [InlineData(new[] { "audit", "erase" }, "unknown audit command \"erase\"")]
    [InlineData(new[] { "audit", "verify" }, "--namespace is required (the namespace whose audit trail to read)")]
    [InlineData(new[] { "audit", "verify", "--namespace" }, "--namespace needs a value")]
    [InlineData(new[] { "audit", "verify", "--namespace=" }, "--namespace needs a value")]
    [InlineData(new[] { "audit", "verify", "--namespace", "Radiology" }, "--namespace \"Radiology\" is not a namespace name")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "--namespace", "b" }, "--namespace is given twice")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "--force" }, "unknown flag \"--force\"")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "-x" }, "unknown flag \"-x\"")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "extra" }, "unexpected argument \"extra\"")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "--head", "abc" }, "--head \"abc\" is not a record hash (64 hex digits)")]
    [InlineData(new[] { "audit", "verify", "-n", "a", "--audit-namespace", "_cluster" }, "--audit-namespace \"_cluster\" is not a namespace name")]
    [InlineData(new[] { "audit", "history", "-n", "a" }, "history needs the object as <kind>/<name>")]
    [InlineData(new[] { "audit", "history", "-n", "a", "chest-xray" }, "\"chest-xray\" is not <kind>/<name> (for example medicalmodel/chest-xray)")]
    [InlineData(new[] { "audit", "history", "-n", "a", "a/b/c" }, "\"a/b/c\" is not <kind>/<name> (for example medicalmodel/chest-xray)")]
    [InlineData(new[] { "audit", "history", "-n", "a", "x/y", "z/w" }, "unexpected argument \"z/w\"")]
    [InlineData(new[] { "audit", "history", "-n", "a", "--head", "x", "x/y" }, "unknown flag \"--head\"")]
    public void A_wrong_command_line_is_invalid_with_one_message(string[] args, string message)
    {
        var invalid = Assert.IsType<CliCommand.Invalid>(CommandLine.Parse(args));
        Assert.Equal(message, invalid.Message);
    }

    [Fact]
    public void Help_is_shown_at_every_level()
    {
        Assert.Equal(UsageText.Main, Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["--help"])).Text);
        Assert.Equal(UsageText.Main, Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["-h"])).Text);
        Assert.Equal(UsageText.Audit, Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["audit", "--help"])).Text);
        Assert.Equal(UsageText.Verify, Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["audit", "verify", "--help"])).Text);
        Assert.Equal(UsageText.History, Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["audit", "history", "-n", "x", "--help"])).Text);
        Assert.StartsWith("medops ", Assert.IsType<CliCommand.ShowText>(CommandLine.Parse(["--version"])).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_names_the_commands_flags_and_exit_codes()
    {
        Assert.Contains("audit verify", UsageText.Main, StringComparison.Ordinal);
        Assert.Contains("audit history", UsageText.Main, StringComparison.Ordinal);
        foreach (var flag in new[] { "--namespace", "--audit-namespace", "--kubeconfig", "--context", "Exit codes: 0" })
        {
            Assert.Contains(flag, UsageText.Audit, StringComparison.Ordinal);
        }
        Assert.Contains("--head", UsageText.Verify, StringComparison.Ordinal);
    }
}
