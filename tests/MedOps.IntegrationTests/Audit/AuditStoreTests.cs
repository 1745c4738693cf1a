using System.Text.Json.Nodes;
using k8s;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Audit;

/// <summary>
/// The audit store against the real API server: two writers (two processes' worth of clients)
/// appending to one chain at once, then an administrator editing the ConfigMaps with kubectl,
/// found by the <c>medops</c> command line (the built program, run as a process).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AuditStoreTests(LocalCluster cluster)
{
    private const string Chain = "radiology";
    private const int PerWriter = 100;
    private const int RecordsPerSegment = 50;

    [Fact]
    public async Task Two_writers_keep_one_chain_and_medops_audit_verify_names_an_edited_a_removed_and_a_cut_record()
    {
        await using var ns = await cluster.CreateNamespaceAsync("audit-store");
        var a = Store(ns.Name);
        var b = Store(ns.Name);

        var written = await Task.WhenAll(Task.Run(() => WriteAsync(a, "replica-a")), Task.Run(() => WriteAsync(b, "replica-b")));

        var records = await a.ReadAsync(Chain, CancellationToken.None);
        Assert.Equal(2 * PerWriter, records.Count);
        Assert.Equal(Enumerable.Range(1, 2 * PerWriter).Select(i => (long)i), records.Select(r => r.Seq));
        var head = records[^1].Hash;
        var verification = AuditVerifier.Verify(records, head);
        Assert.True(verification.Intact, verification.FirstBreak?.Message);
        Assert.Equal(PerWriter, records.Count(r => r.Actor == "replica-a"));
        Assert.Equal(PerWriter, records.Count(r => r.Actor == "replica-b"));
        var switches = records.Zip(records.Skip(1)).Count(p => p.First.Actor != p.Second.Actor);
        Assert.True(switches > 2, $"the writers took turns only {switches} times: they did not run at once");
        var stored = records.ToDictionary(r => r.Seq, AuditChain.ToJson);
        Assert.All(written.SelectMany(w => w), r => Assert.Equal(stored[r.Seq], AuditChain.ToJson(r)));
        Assert.Equal(
            Enumerable.Range(1, 4).Select(n => AuditStore.SegmentName(Chain, n)),
            (await a.ReadSegmentsAsync(Chain, CancellationToken.None)).Select(s => s.Metadata.Name));

        var intact = await MedopsAsync(ns.Name, "verify", "--head", head);
        Assert.True(intact.ExitCode == 0, intact.Output);
        Assert.Equal($"audit trail of namespace {Chain}: 200 records, intact, head {head}", intact.StandardOutput.Split('\n')[0]);

        // An administrator changes a fact of seq 57 with kubectl.
        var segment = AuditStore.SegmentName(Chain, 2);
        var original = await ReadDataAsync(ns.Name, segment);
        var edited = string.Join('\n', original.Split('\n').Select(line => line.StartsWith("{\"seq\":57,", StringComparison.Ordinal)
            ? line.Replace(VersionOf(records[56]), "\"version\":\"9.9.9\"", StringComparison.Ordinal)
            : line));
        Assert.NotEqual(original, edited);
        await WriteDataAsync(ns.Name, segment, edited);
        var altered = await MedopsAsync(ns.Name, "verify");
        Assert.True(altered.ExitCode == 1, altered.Output);
        Assert.Contains("NOT intact: altered at seq 57: record seq 57 (", altered.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("was altered", altered.StandardOutput, StringComparison.Ordinal);

        // Put back, then seq 63 deleted: the record after the gap is named.
        await WriteDataAsync(ns.Name, segment, original);
        Assert.Equal(0, (await MedopsAsync(ns.Name, "verify")).ExitCode);
        await WriteDataAsync(ns.Name, segment, string.Join('\n', original.Split('\n').Where(line => !line.StartsWith("{\"seq\":63,", StringComparison.Ordinal))));
        var removed = await MedopsAsync(ns.Name, "verify");
        Assert.True(removed.ExitCode == 1, removed.Output);
        Assert.Contains("NOT intact: removed at seq 63: record 63 was removed: the record after the gap is seq 64 (", removed.StandardOutput, StringComparison.Ordinal);

        // Put back, then the last record cut: only the head from the logs tells.
        await WriteDataAsync(ns.Name, segment, original);
        var last = AuditStore.SegmentName(Chain, 4);
        var tail = await ReadDataAsync(ns.Name, last);
        await WriteDataAsync(ns.Name, last, string.Concat(tail.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).Select(line => line + "\n")));
        Assert.Equal(0, (await MedopsAsync(ns.Name, "verify")).ExitCode);
        var cut = await MedopsAsync(ns.Name, "verify", "--head", head);
        Assert.True(cut.ExitCode == 1, cut.Output);
        Assert.Contains("NOT intact: truncated at seq 199: the chain ends at seq 199", cut.StandardOutput, StringComparison.Ordinal);

        var history = await MedopsAsync(ns.Name, "history", "medicalmodels/model-7");
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Equal(1 + 4, history.StandardOutput.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task Medops_audit_verify_exits_3_when_the_cluster_cannot_be_read()
    {
        var result = await ProcessRunner.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("MedOps.Cli", "medops"), "audit", "verify", "--namespace", Chain, "--kubeconfig", "/nonexistent/kubeconfig"], TimeSpan.FromMinutes(1));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("medops: cannot load kubeconfig \"/nonexistent/kubeconfig\" (from --kubeconfig): file not found", result.StandardError.Trim());
    }

    private AuditStore Store(string operatorNamespace) => new(
        new KubeApi(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath))),
        new AuditStoreOptions(operatorNamespace) { RecordsPerSegment = RecordsPerSegment },
        TimeProvider.System);

    private static async Task<List<AuditRecord>> WriteAsync(AuditStore store, string actor)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < PerWriter; i++)
        {
            var entry = new AuditEntry(DateTimeOffset.UtcNow, actor, "ModelVersionChanged",
                new AuditObject("MedicalModel", Chain, $"model-{i % 50}", Guid.NewGuid().ToString(), i + 1),
                new Dictionary<string, string> { ["version"] = $"1.{i}.0", ["writer"] = actor });
            records.AddRange(await store.AppendAsync(Chain, [entry], CancellationToken.None));
        }
        return records;
    }

    private static string VersionOf(AuditRecord record) => $"\"version\":\"{record.Facts["version"]}\"";

    private Task<ProcessResult> MedopsAsync(string operatorNamespace, string command, params string[] flags) =>
        ProcessRunner.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("MedOps.Cli", "medops"), "audit", command, "--namespace", Chain, "--audit-namespace", operatorNamespace,
                "--kubeconfig", cluster.KubeconfigPath, .. flags],
            TimeSpan.FromMinutes(1));

    private async Task<string> ReadDataAsync(string operatorNamespace, string segment)
    {
        var result = await cluster.KubectlAsync("-n", operatorNamespace, "get", "configmap", segment, "-o", "json");
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonNode.Parse(result.StandardOutput)!["data"]![AuditStore.RecordsKey]!.GetValue<string>();
    }

    // What an administrator would do: take the ConfigMap, change its data, kubectl replace it.
    private async Task WriteDataAsync(string operatorNamespace, string segment, string data)
    {
        var current = await cluster.KubectlAsync("-n", operatorNamespace, "get", "configmap", segment, "-o", "json");
        Assert.True(current.ExitCode == 0, current.Output);
        var map = JsonNode.Parse(current.StandardOutput)!.AsObject();
        map["data"]![AuditStore.RecordsKey] = data;
        var file = Path.Combine(Path.GetTempPath(), $"{segment}-{Guid.NewGuid().ToString("N")[..6]}.json");
        await File.WriteAllTextAsync(file, map.ToJsonString());
        try
        {
            var replaced = await cluster.KubectlAsync("-n", operatorNamespace, "replace", "-f", file);
            Assert.True(replaced.ExitCode == 0, replaced.Output);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(data, await ReadDataAsync(operatorNamespace, segment));
    }
}
