using System.Net;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;

namespace MedOps.Cli.Tests;

public sealed class CliAppTests
{
    private static readonly string[] Verify = ["audit", "verify", "--namespace", "radiology"];

    [Fact]
    public async Task An_intact_chain_prints_its_count_and_head_and_exits_0()
    {
        var chain = FakeSource.Chain(5);
        var source = FakeSource.Of(chain);

        var (code, output, error) = await RunAsync(Verify, source);

        Assert.Equal(0, code);
        Assert.Equal($"audit trail of namespace radiology: 5 records, intact, head {chain[^1].Hash}\n", output);
        Assert.Empty(error);
        Assert.Equal(["radiology"], source.Reads);
    }

    [Fact]
    public async Task The_expected_head_is_found_and_the_records_since_are_counted()
    {
        var chain = FakeSource.Chain(5);

        var (code, output, _) = await RunAsync([.. Verify, "--head", chain[2].Hash], FakeSource.Of(chain));

        Assert.Equal(0, code);
        Assert.EndsWith("the head from the logs is seq 3; 2 records were appended since\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_record_since_the_head_is_one_record()
    {
        var chain = FakeSource.Chain(5);

        var (_, output, _) = await RunAsync([.. Verify, "--head", chain[3].Hash], FakeSource.Of(chain));

        Assert.EndsWith("the head from the logs is seq 4; 1 record was appended since\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_trail_is_intact_but_says_where_it_looked()
    {
        var (code, output, _) = await RunAsync([.. Verify, "--audit-namespace", "ops"], FakeSource.Of([]));

        Assert.Equal(0, code);
        Assert.Equal("audit trail of namespace radiology: 0 records, intact, head none\n"
            + "no records are stored in namespace ops: check that --audit-namespace is the operator's namespace; only --head tells a trail that was deleted whole\n", output);
    }

    [Fact]
    public async Task A_broken_chain_prints_the_first_break_naming_the_record_and_exits_1()
    {
        var chain = FakeSource.Chain(5);
        chain[2] = chain[2] with { Actor = "mallory" };

        var (code, output, _) = await RunAsync(Verify, FakeSource.Of(chain));

        Assert.Equal(1, code);
        Assert.Equal(
            "audit trail of namespace radiology: 5 records, NOT intact: altered at seq 3: record seq 3 "
            + "(2026-03-01T10:03:00.000Z ApprovalGranted MedicalModel radiology/other) was altered: its content does not match its hash "
            + chain[2].Hash[..16] + "...\n",
            output);
    }

    [Fact]
    public async Task A_cut_tail_is_found_with_the_head_and_exits_1()
    {
        var chain = FakeSource.Chain(5);

        var (code, output, _) = await RunAsync([.. Verify, $"--head={chain[^1].Hash}"], FakeSource.Of(chain.Take(3).ToList()));

        Assert.Equal(1, code);
        Assert.Contains("NOT intact: truncated at seq 3: the chain ends at seq 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_prints_the_objects_records_as_a_table()
    {
        var (code, output, error) = await RunAsync(["audit", "history", "-n", "radiology", "MedicalModels/chest-xray"], FakeSource.Of(FakeSource.Chain(4)));

        Assert.Equal(0, code);
        Assert.Empty(error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("TIME", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^2026-03-01 10:01:00Z +alice@hospital\.example +ApprovalGranted +version=1 +1$", lines[1]);
        Assert.EndsWith(" 4", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_of_an_unknown_object_says_so_and_a_broken_chain_is_warned_about()
    {
        var chain = FakeSource.Chain(4);
        chain.RemoveAt(1);

        var (code, output, error) = await RunAsync(["audit", "history", "-n", "radiology", "workspace/desk"], FakeSource.Of(chain));

        Assert.Equal(0, code);
        Assert.Equal("no records of workspace/desk in the audit trail of namespace radiology (3 records)\n", output);
        Assert.StartsWith("warning: audit trail of namespace radiology: 3 records, NOT intact: removed at seq 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_exits_2_with_a_hint()
    {
        var (code, output, error) = await RunAsync(["audit", "verify"], FakeSource.Of([]));

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("medops: --namespace is required (the namespace whose audit trail to read)\nRun 'medops audit verify --help' for usage.\n", error);
    }

    [Fact]
    public async Task Help_exits_0_without_touching_the_cluster()
    {
        var (code, output, _) = await RunAsync(["audit", "--help"], connect: (_, _) => throw new InvalidOperationException("connected"));

        Assert.Equal(0, code);
        Assert.Equal(UsageText.Audit, output);
    }

    [Fact]
    public async Task A_refused_read_exits_3_with_one_line_naming_the_namespaces()
    {
        var source = new FakeSource(_ => throw new KubeApiException(HttpStatusCode.Forbidden, null,
            "403 Forbidden: configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\"\nin the namespace \"medops-system\""));

        var (code, output, error) = await RunAsync(Verify, source);

        Assert.Equal(3, code);
        Assert.Empty(output);
        Assert.Equal("medops: cannot read the audit trail of namespace radiology (ConfigMaps in medops-system): 403 Forbidden: configmaps is forbidden: "
            + "User \"bob\" cannot list resource \"configmaps\" in the namespace \"medops-system\"\n", error);
    }

    [Fact]
    public async Task An_unreachable_cluster_exits_3()
    {
        var source = new FakeSource(_ => throw new HttpRequestException("Connection refused (127.0.0.1:6443)", new IOException("Connection refused")));

        var (code, _, error) = await RunAsync(Verify, source);

        Assert.Equal(3, code);
        Assert.StartsWith("medops: cannot read the audit trail of namespace radiology (ConfigMaps in medops-system): Connection refused", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_missing_kubeconfig_exits_3()
    {
        var (code, _, error) = await RunAsync(Verify, connect: (_, _) => throw new ClusterUnreadableException("no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config"));

        Assert.Equal(3, code);
        Assert.Equal("medops: no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config\n", error);
    }

    [Fact]
    public async Task A_line_that_is_not_a_record_exits_1_naming_segment_and_line()
    {
        var source = new FakeSource(_ => throw new AuditFormatException("medops-audit-radiology-000002", 17, "invalid JSON: 'x' is invalid"));

        var (code, _, error) = await RunAsync(Verify, source);

        Assert.Equal(1, code);
        Assert.Equal("medops: the audit trail of namespace radiology is damaged: medops-audit-radiology-000002 line 17 is not an audit record: invalid JSON: 'x' is invalid\n", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(
        string[] args, FakeSource? source = null, Func<ClusterFlags, ICliEnvironment, IAuditSource>? connect = null)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await CliApp.RunAsync(args, new FakeEnvironment(), output, error, connect ?? ((_, _) => source!), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
