using System.Text.Json.Nodes;
using MedOps.IntegrationTests.Admission;
using MedOps.Testing;
using Xunit.Abstractions;

namespace MedOps.IntegrationTests.Approvals;

/// <summary>
/// Two-person approval of a Clinical model against the real kube-apiserver and the chart's
/// webhooks, with three real users of the cluster's token file: alice (author and approver),
/// bob (approver) and carol (editor only). The model serves only what a second person approved;
/// a new version waits while the old one keeps serving; a deleted approval stops serving; and the
/// audit trail of the story verifies until an administrator edits it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicalApprovalTests(LocalCluster cluster, ITestOutputHelper output)
{
    private const string Model = "sepsis-risk";
    private static readonly string DigestOne = "sha256:" + new string('a', 64);
    private static readonly string DigestTwo = "sha256:" + new string('b', 64);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_clinical_version_serves_only_after_a_second_person_approves_it_and_the_trail_of_that_story_verifies()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        var ns = bed.Workloads.Name;
        await GrantAsync(bed, "alice", "edit", $"{bed.Release}-approver");
        await GrantAsync(bed, "bob", "edit", $"{bed.Release}-approver");
        await GrantAsync(bed, "carol", "edit");
        await bed.ApplyOkAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: models}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            """);

        // Nothing to approve without a digest: refused at the door.
        var unpinned = await AsUserAsync("alice", ns, ModelYaml("1.0.0", digest: null), "apply");
        Assert.NotEqual(0, unpinned.ExitCode);
        Assert.Contains("spec.source.digest", unpinned.StandardError, StringComparison.Ordinal);

        // alice creates the model: the webhook records her as its author, and it does not serve.
        await ApplyAsUserOkAsync("alice", ns, ModelYaml("1.0.0", DigestOne));
        Assert.Equal("alice", await JsonPathAsync(ns, "mm", Model, "{.metadata.annotations.medops\\.io/created-by}"));
        Assert.Equal("alice", await JsonPathAsync(ns, "mm", Model, "{.metadata.annotations.medops\\.io/version-set-by}"));
        await WaitForAsync(ns, "mm", Model, "{.status.phase}", "AwaitingApproval", bed);
        Assert.Equal("0", await JsonPathAsync(ns, "deployment", Model, "{.spec.replicas}"));
        Assert.Equal("True", await JsonPathAsync(ns, "mm", Model, "{.status.conditions[?(@.type==\"Reconciling\")].status}"));
        Assert.Equal("", await JsonPathAsync(ns, "mm", Model, "{.status.conditions[?(@.type==\"Stalled\")].status}"));

        // Nobody can forge the author: what a client sends is replaced by what the webhook recorded.
        await ApplyAsUserOkAsync("carol", ns, ModelYaml("1.0.0", DigestOne, annotations: "medops.io/created-by: bob"));
        Assert.Equal("alice", await JsonPathAsync(ns, "mm", Model, "{.metadata.annotations.medops\\.io/created-by}"));
        Assert.Equal("alice", await JsonPathAsync(ns, "mm", Model, "{.metadata.annotations.medops\\.io/version-set-by}"));

        // alice cannot approve her own version; carol has no approver role.
        var self = await AsUserAsync("alice", ns, ApprovalYaml("v1", "1.0.0", DigestOne), "create");
        Assert.NotEqual(0, self.ExitCode);
        Assert.True(self.StandardError.Contains("second person", StringComparison.Ordinal), self.Output + bed.Logs());
        var unauthorised = await AsUserAsync("carol", ns, ApprovalYaml("v1", "1.0.0", DigestOne), "create");
        Assert.NotEqual(0, unauthorised.ExitCode);
        Assert.Contains("forbidden", unauthorised.StandardError, StringComparison.OrdinalIgnoreCase);
        // Approving something other than what is there is refused too.
        var wrongDigest = await AsUserAsync("bob", ns, ApprovalYaml("v1", "1.0.0", DigestTwo), "create");
        Assert.NotEqual(0, wrongDigest.ExitCode);
        Assert.Contains("spec.digest", wrongDigest.StandardError, StringComparison.Ordinal);

        // bob approves; whatever he wrote as approver, he is recorded.
        var approved = await AsUserAsync("bob", ns, ApprovalYaml("v1", "1.0.0", DigestOne, approver: "someone-else"), "create");
        Assert.True(approved.ExitCode == 0, approved.Output);
        Assert.Equal("bob", await JsonPathAsync(ns, "modelapproval", $"{Model}-v1", "{.spec.approver}"));
        await WaitForAsync(ns, "mm", Model, "{.status.phase}", "Ready", bed);
        Assert.Equal("1", await JsonPathAsync(ns, "deployment", Model, "{.spec.replicas}"));
        Assert.Equal("1.0.0", await ServedVersionAsync(ns));
        Assert.Equal("bob", await JsonPathAsync(ns, "mm", Model, "{.status.approval.approved.approver}"));

        // An approval cannot be changed.
        var changed = await bed.KubectlYamlAsync(ApprovalYaml("v1", "1.0.0", DigestOne, comment: "changed my mind"), "apply");
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("immutable", changed.StandardError, StringComparison.Ordinal);

        // alice ships 1.1.0: it waits, and 1.0.0 keeps serving unchanged.
        var servingGeneration = await JsonPathAsync(ns, "deployment", Model, "{.metadata.generation}");
        await ApplyAsUserOkAsync("alice", ns, ModelYaml("1.1.0", DigestTwo));
        await WaitForAsync(ns, "mm", Model, "{.status.approval.pending.version}", "1.1.0", bed);
        Assert.Equal("AwaitingApproval", await JsonPathAsync(ns, "mm", Model, "{.status.phase}"));
        Assert.Equal("1.0.0", await JsonPathAsync(ns, "mm", Model, "{.status.approval.approved.version}"));
        await Eventually.HoldsForAsync(async () => await ServedVersionAsync(ns) == "1.0.0"
                && await JsonPathAsync(ns, "deployment", Model, "{.metadata.generation}") == servingGeneration
                && await JsonPathAsync(ns, "deployment", Model, "{.status.readyReplicas}") == "1",
            TimeSpan.FromSeconds(5), "the approved version keeps serving, untouched, while the new one waits");

        // bob approves 1.1.0: it rolls out.
        await ApprovedByAsync("bob", ns, ApprovalYaml("v2", "1.1.0", DigestTwo));
        await Eventually.WaitUntilAsync(async () => await ServedVersionAsync(ns) == "1.1.0", Patience, "the approved 1.1.0 rolls out");
        await WaitForAsync(ns, "mm", Model, "{.status.approval.state}", "Approved", bed);

        // bob revokes it: the model stops serving, with a Warning.
        var revoked = await bed.KubectlOkAsync("-n", ns, "delete", "modelapproval", $"{Model}-v2");
        output.WriteLine(revoked.Output);
        await WaitForAsync(ns, "mm", Model, "{.status.approval.state}", "Revoked", bed);
        await Eventually.WaitUntilAsync(async () => await JsonPathAsync(ns, "deployment", Model, "{.spec.replicas}") == "0", Patience, "a revoked version is scaled to zero");
        Assert.Equal("ApprovalRevoked", await JsonPathAsync(ns, "mm", Model, "{.status.conditions[?(@.type==\"Ready\")].reason}"));
        await Eventually.WaitUntilAsync(async () => (await cluster.KubectlAsync("-n", ns, "get", "events", "--field-selector", $"involvedObject.name={Model},reason=ApprovalRevoked,type=Warning", "-o", "name")).StandardOutput.Trim().Length > 0,
            Patience, "a Warning event ApprovalRevoked is recorded");

        // Deleted and created again with the approved 1.0.0 weights: the old approval was for the
        // model that is gone, so the new one waits for an approval of its own.
        await bed.KubectlOkAsync("-n", ns, "delete", "mm", Model, "--wait=true");
        await ApplyAsUserOkAsync("alice", ns, ModelYaml("1.0.0", DigestOne));
        await WaitForAsync(ns, "mm", Model, "{.status.phase}", "AwaitingApproval", bed);
        Assert.Contains("made before this model was created",
            await JsonPathAsync(ns, "mm", Model, "{.status.conditions[?(@.type==\"Ready\")].message}"), StringComparison.Ordinal);

        // The trail of the story: who did what, and it verifies.
        var history = await MedopsAsync(bed, "history", $"medicalmodel/{Model}");
        Assert.True(history.ExitCode == 0, history.Output);
        output.WriteLine(history.StandardOutput);
        foreach (var expected in new[] { "alice", "ModelCreated", "ModelVersionChanged", "VersionServing", "ServingStopped", "medops-operator" })
        {
            Assert.Contains(expected, history.StandardOutput, StringComparison.Ordinal);
        }
        var approvals = await MedopsAsync(bed, "history", $"modelapproval/{Model}-v2");
        Assert.Contains("ApprovalGranted", approvals.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ApprovalRevoked", approvals.StandardOutput, StringComparison.Ordinal);
        var intact = await MedopsAsync(bed, "verify");
        Assert.True(intact.ExitCode == 0, intact.Output);
        Assert.Contains("intact", intact.StandardOutput, StringComparison.Ordinal);

        // An administrator rewrites who approved: the verification names that record.
        var (segment, seq) = await RewriteApproverAsync(bed, "mallory");
        var broken = await MedopsAsync(bed, "verify");
        output.WriteLine(broken.Output);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"seq {seq}", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("altered", broken.StandardOutput, StringComparison.OrdinalIgnoreCase);
        output.WriteLine($"edited {segment}");
    }

    private static string ModelYaml(string version, string? digest, string annotations = "") => $$"""
        apiVersion: medops.io/v1alpha1
        kind: MedicalModel
        metadata:
          name: {{Model}}
          {{(annotations.Length > 0 ? $"annotations: {{{annotations}}}" : "")}}
        spec:
          modality: Tabular
          version: "{{version}}"
          usage: Clinical
          dataClassification: DeIdentified
          format: ONNX
          source: {uri: "pvc://models/sepsis/{{version}}"{{(digest is null ? "" : $", digest: \"{digest}\"")}}}
          runtime: {image: medops.example/sepsis-server:1, port: 8080}
          resources: {cpu: 100m, memory: 128Mi}
        """;

    private static string ApprovalYaml(string suffix, string version, string digest, string approver = "", string comment = "validation report VR-12") => $$"""
        apiVersion: medops.io/v1alpha1
        kind: ModelApproval
        metadata: {name: {{Model}}-{{suffix}}}
        spec:
          modelName: {{Model}}
          version: "{{version}}"
          digest: "{{digest}}"
          comment: "{{comment}}"
          {{(approver.Length > 0 ? $"approver: {approver}" : "")}}
        """;

    private async Task GrantAsync(WebhookTestBed bed, string user, params string[] clusterRoles)
    {
        foreach (var role in clusterRoles)
        {
            await bed.KubectlOkAsync("-n", bed.Workloads.Name, "create", "rolebinding", $"{user}-{role}", $"--clusterrole={role}", $"--user={user}");
        }
    }

    private async Task<ProcessResult> AsUserAsync(string user, string ns, string yaml, string verb)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-approval-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        try
        {
            return await cluster.KubectlAsUserAsync(user, "-n", ns, verb, "-f", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task ApplyAsUserOkAsync(string user, string ns, string yaml)
    {
        var result = await AsUserAsync(user, ns, yaml, "apply");
        Assert.True(result.ExitCode == 0, $"{user}: kubectl apply was refused:\n{result.Output}");
    }

    private async Task ApprovedByAsync(string user, string ns, string yaml)
    {
        var result = await AsUserAsync(user, ns, yaml, "create");
        Assert.True(result.ExitCode == 0, $"{user} could not approve:\n{result.Output}");
    }

    private async Task<string> JsonPathAsync(string ns, string kind, string name, string path) =>
        (await cluster.KubectlAsync("-n", ns, "get", kind, name, "-o", $"jsonpath={path}")).StandardOutput.Trim();

    private Task<string> ServedVersionAsync(string ns) =>
        JsonPathAsync(ns, "deployment", Model, "{.spec.template.spec.containers[*].env[?(@.name==\"MEDOPS_MODEL_VERSION\")].value}");

    private async Task WaitForAsync(string ns, string kind, string name, string path, string expected, WebhookTestBed bed)
    {
        var last = "";
        try
        {
            await Eventually.WaitUntilAsync(async () => (last = await JsonPathAsync(ns, kind, name, path)) == expected, Patience, $"{kind} {name} {path} becomes {expected}");
        }
        catch
        {
            output.WriteLine($"last {path}: {last}\n{(await cluster.KubectlAsync("-n", ns, "get", kind, name, "-o", "yaml")).Output}\n{bed.Logs()}");
            throw;
        }
    }

    private Task<ProcessResult> MedopsAsync(WebhookTestBed bed, params string[] command) =>
        ProcessRunner.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("MedOps.Cli", "medops"), "audit", .. command, "--namespace", bed.Workloads.Name,
             "--audit-namespace", bed.ReleaseNamespace.Name, "--kubeconfig", cluster.KubeconfigPath], TimeSpan.FromMinutes(1));

    // Replaces the approver fact of the first ApprovalGranted record, as an administrator with
    // kubectl could: returns the segment and the record's seq.
    private async Task<(string Segment, long Seq)> RewriteApproverAsync(WebhookTestBed bed, string approver)
    {
        var list = JsonNode.Parse((await bed.KubectlOkAsync("-n", bed.ReleaseNamespace.Name, "get", "configmaps",
            "-l", $"medops.io/audit-chain={bed.Workloads.Name}", "-o", "json")).StandardOutput)!;
        foreach (var map in list["items"]!.AsArray())
        {
            var data = map!["data"]!["records.jsonl"]!.GetValue<string>();
            var lines = data.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].Contains("\"action\":\"ApprovalGranted\"", StringComparison.Ordinal))
                {
                    continue;
                }
                var record = JsonNode.Parse(lines[i])!;
                var seq = record["seq"]!.GetValue<long>();
                lines[i] = lines[i].Replace("\"approver\":\"bob\"", $"\"approver\":\"{approver}\"", StringComparison.Ordinal);
                map["data"]!["records.jsonl"] = string.Join('\n', lines);
                var name = map["metadata"]!["name"]!.GetValue<string>();
                var path = Path.Combine(Path.GetTempPath(), $"medops-audit-edit-{Guid.NewGuid():N}.json");
                await File.WriteAllTextAsync(path, map.ToJsonString());
                try
                {
                    await bed.KubectlOkAsync("-n", bed.ReleaseNamespace.Name, "replace", "-f", path);
                }
                finally
                {
                    File.Delete(path);
                }
                return (name, seq);
            }
        }
        throw new InvalidOperationException("no ApprovalGranted record in the trail");
    }
}
