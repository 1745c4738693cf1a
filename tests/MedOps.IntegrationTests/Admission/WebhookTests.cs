using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using MedOps.Runtime.Certificates;
using MedOps.Testing;
using Xunit.Abstractions;

namespace MedOps.IntegrationTests.Admission;

/// <summary>
/// The validating webhook against the real kube-apiserver: bad input refused at the door with
/// the field named (and nothing stored), the samples admitted, classifications that only a
/// declassifier can lower, every replica answering, a fast and clear failure when none is left,
/// and a rotated certificate served without a restart.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class WebhookTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>A request only the webhook refuses (the schema accepts it): a PHI model from a public hub.</summary>
    private static readonly string RefusedByGuardrail =
        AdmissionFixtures.Model(name: "hub-model", classification: "PHI", source: "uri: https://huggingface.co/org/chest-xray");

    private const string GuardrailMessage = "is a public model hub";

    private static IEnumerable<string> Samples() =>
        Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "samples"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Fact]
    public async Task Invalid_fixtures_are_refused_by_a_server_side_dry_run_naming_the_field_and_nothing_is_stored()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        foreach (var yaml in AdmissionFixtures.Setup)
        {
            await bed.ApplyOkAsync(yaml);
        }
        var refusedByWebhookBefore = await AdmissionCountAsync(bed.Replicas[0], allowed: false);

        var failures = new List<string>();
        var refused = 0;
        foreach (var fixture in AdmissionFixtures.All)
        {
            if (fixture.Before is { } before)
            {
                await bed.ApplyOkAsync(before);
            }
            var dryRun = await bed.DryRunAsync(fixture.Yaml);
            var real = await bed.KubectlYamlAsync(fixture.Yaml, "apply");
            if (dryRun.ExitCode == 0 || real.ExitCode == 0)
            {
                failures.Add($"{fixture.Description}: accepted (dry run exit {dryRun.ExitCode}, apply exit {real.ExitCode})");
            }
            else if (!dryRun.StandardError.Contains(fixture.Field + ":", StringComparison.Ordinal))
            {
                failures.Add($"{fixture.Description}: refused without naming {fixture.Field}:\n{dryRun.StandardError}");
            }
            else
            {
                refused++;
            }
        }
        var refusedByWebhook = await AdmissionCountAsync(bed.Replicas[0], allowed: false) - refusedByWebhookBefore;
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + bed.Logs());

        // Nothing of the fixtures was stored: only the setup's objects exist, unchanged.
        var stored = (await bed.KubectlOkAsync("-n", bed.Workloads.Name, "get", "medops", "-o", "name")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [$"trainingjob.medops.io/{AdmissionFixtures.BaseJob}", $"workspace.medops.io/{AdmissionFixtures.BaseWorkspace}"],
            stored);
        Assert.Equal("m/1", await JsonPathAsync(bed, "trainingjob", AdmissionFixtures.BaseJob, "{.spec.output.path}"));
        Assert.Equal("cxr-2024", await JsonPathAsync(bed, "trainingjob", AdmissionFixtures.BaseJob, "{.spec.dataset.claimName}"));
        Assert.Equal("20Gi", await JsonPathAsync(bed, "workspace", AdmissionFixtures.BaseWorkspace, "{.spec.disk.size}"));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"invalid fixtures: {AdmissionFixtures.All.Count} tried, {refused} refused naming the field, {stored.Count - 2} stored; the webhook refused {refusedByWebhook} of the {2 * AdmissionFixtures.All.Count} requests (dry run and apply), the CRD schema the rest"));
        Assert.True(AdmissionFixtures.All.Count >= 30, "at least 30 invalid fixtures");
        Assert.True(refusedByWebhook >= AdmissionFixtures.All.Count, $"the webhook itself refused only {refusedByWebhook} requests");
    }

    [Fact]
    public async Task Every_sample_is_admitted()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        var storage = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "samples", "storage.yaml"));
        await bed.ApplyOkAsync(storage);
        foreach (var sample in Samples())
        {
            var yaml = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "samples", sample));
            var dryRun = await bed.DryRunAsync(yaml);
            Assert.True(dryRun.ExitCode == 0, $"{sample} was refused:\n{dryRun.Output}");
        }
        Assert.True(await AdmissionCountAsync(bed.Replicas[0], allowed: true) >= 4, "the webhook admitted the samples' MedOps resources");
    }

    [Fact]
    public async Task Only_a_user_with_the_declassify_verb_can_lower_a_classification_and_an_edit_user_cannot_remove_phi_confinement()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        var ns = bed.Workloads.Name;
        foreach (var yaml in AdmissionFixtures.Setup)
        {
            await bed.ApplyOkAsync(yaml);
        }
        var model = AdmissionFixtures.Model(name: "phi-model", classification: "PHI", source: "uri: pvc://models/chest/1");
        await bed.ApplyOkAsync(model);
        await Eventually.WaitUntilAsync(
            async () => (await cluster.KubectlAsync("-n", ns, "get", "networkpolicy", "phi-model", "-o", "name")).ExitCode == 0,
            TimeSpan.FromSeconds(60), "the PHI model's NetworkPolicy\n" + bed.Logs());

        // alice has the chart's edit role in the namespace, as a clinician's team lead would.
        const string alice = "alice@hospital.example";
        await bed.KubectlOkAsync("-n", ns, "create", "rolebinding", "alice-edit", $"--clusterrole={bed.Release}-edit", $"--user={alice}");
        string[] edits =
        [
            """{"spec":{"dataClassification":"Public"}}""",
            """{"spec":{"dataClassification":"DeIdentified"}}""",
            """{"spec":{"source":{"uri":"https://huggingface.co/org/chest-xray"}}}""",
        ];
        foreach (var patch in edits)
        {
            var attempt = await cluster.KubectlAsync("-n", ns, "patch", "medicalmodel", "phi-model", "--type=merge", "-p", patch, $"--as={alice}");
            Assert.True(attempt.ExitCode != 0, $"alice's edit {patch} was allowed:\n{attempt.Output}");
        }
        var lowerJob = await cluster.KubectlAsync("-n", ns, "patch", "trainingjob", AdmissionFixtures.BaseJob, "--type=merge",
            "-p", """{"spec":{"dataClassification":"Public","model":{"template":{"dataClassification":"Public"}}}}""", $"--as={alice}");
        Assert.True(lowerJob.ExitCode != 0, lowerJob.Output);
        Assert.Contains("declassify", lowerJob.StandardError, StringComparison.Ordinal);
        var lowerTemplate = await cluster.KubectlAsync("-n", ns, "patch", "trainingjob", AdmissionFixtures.BaseJob, "--type=merge",
            "-p", """{"spec":{"model":{"template":{"dataClassification":"Public"}}}}""", $"--as={alice}");
        Assert.True(lowerTemplate.ExitCode != 0, lowerTemplate.Output);
        var refusal = await cluster.KubectlAsync("-n", ns, "patch", "medicalmodel", "phi-model", "--type=merge", "-p", edits[0], $"--as={alice}");
        Assert.Contains("Forbidden", refusal.StandardError, StringComparison.Ordinal);
        Assert.Contains($"lowering PHI to Public needs the \"declassify\" permission on medicalmodels.medops.io, which {alice} does not have", refusal.StandardError, StringComparison.Ordinal);
        Assert.Equal("PHI", await JsonPathAsync(bed, "medicalmodel", "phi-model", "{.spec.dataClassification}"));
        Assert.Equal(0, (await cluster.KubectlAsync("-n", ns, "get", "networkpolicy", "phi-model", "-o", "name")).ExitCode);

        // With the declassifier role, the same edit is allowed, and the operator lifts the confinement.
        await bed.KubectlOkAsync("-n", ns, "create", "rolebinding", "alice-declassify", $"--clusterrole={bed.Release}-declassifier", $"--user={alice}");
        await bed.KubectlOkAsync("-n", ns, "patch", "medicalmodel", "phi-model", "--type=merge", "-p", edits[0], $"--as={alice}");
        await Eventually.WaitUntilAsync(
            async () => (await cluster.KubectlAsync("-n", ns, "get", "networkpolicy", "phi-model", "-o", "name")).ExitCode != 0,
            TimeSpan.FromSeconds(60), "the declassified model's NetworkPolicy to be removed\n" + bed.Logs());
    }

    [Fact]
    public async Task Only_a_user_with_the_release_hold_verb_can_lift_a_legal_hold_and_nobody_can_pull_its_finalizer()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        var ns = bed.Workloads.Name;
        await bed.ApplyOkAsync(AdmissionFixtures.Workspace("held-ws") + "\n  legalHold: case-2026-117\n");
        await Eventually.WaitUntilAsync(
            async () => (await cluster.KubectlAsync("-n", ns, "get", "workspace", "held-ws", "-o", "jsonpath={.metadata.finalizers}")).StandardOutput
                .Contains("medops.io/workspace-protection", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the operator to protect the held workspace with its finalizer\n" + bed.Logs());

        const string alice = "alice@hospital.example";
        await bed.KubectlOkAsync("-n", ns, "create", "rolebinding", "alice-edit", $"--clusterrole={bed.Release}-edit", $"--user={alice}");
        var lift = await cluster.KubectlAsync("-n", ns, "patch", "workspace", "held-ws", "--type=merge", "-p", """{"spec":{"legalHold":null}}""", $"--as={alice}");
        Assert.True(lift.ExitCode != 0, "an edit user lifted the hold:\n" + lift.Output);
        Assert.Contains("needs the \"release-hold\" permission on workspaces.medops.io", lift.StandardError, StringComparison.Ordinal);
        var grow = await cluster.KubectlAsync("-n", ns, "patch", "workspace", "held-ws", "--type=merge", "-p", """{"spec":{"disk":{"size":"40Gi"}}}""", $"--as={alice}");
        Assert.True(grow.ExitCode != 0, grow.Output);
        Assert.Contains("spec.disk cannot change while legal hold", grow.StandardError, StringComparison.Ordinal);
        // With the webhook, a held workspace cannot even be marked for deletion.
        var delete = await cluster.KubectlAsync("-n", ns, "delete", "workspace", "held-ws", "--wait=false");
        Assert.True(delete.ExitCode != 0, "a held workspace was deleted:\n" + delete.Output);
        Assert.Contains("is under legal hold \"case-2026-117\" and cannot be deleted", delete.StandardError, StringComparison.Ordinal);
        // Not even a cluster admin can pull the finalizer while the hold is set.
        var pull = await cluster.KubectlAsync("-n", ns, "patch", "workspace", "held-ws", "--type=merge", "-p", """{"metadata":{"finalizers":null}}""");
        Assert.True(pull.ExitCode != 0, pull.Output);
        Assert.Contains("metadata.finalizers", pull.StandardError, StringComparison.Ordinal);

        await bed.KubectlOkAsync("-n", ns, "create", "rolebinding", "alice-release", $"--clusterrole={bed.Release}-legal-hold-releaser", $"--user={alice}");
        await bed.KubectlOkAsync("-n", ns, "patch", "workspace", "held-ws", "--type=merge", "-p", """{"spec":{"legalHold":null}}""", $"--as={alice}");
        await Eventually.WaitUntilAsync(
            async () => !(await cluster.KubectlAsync("-n", ns, "get", "workspace", "held-ws", "-o", "jsonpath={.metadata.finalizers}")).StandardOutput
                .Contains("medops.io/workspace-protection", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the operator to remove the finalizer once the hold is lifted\n" + bed.Logs());
    }

    [Fact]
    public async Task Every_replica_answers_so_admission_keeps_working_while_the_leader_is_killed()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster, replicaCount: 2);
        OperatorProcess? leader = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            foreach (var replica in bed.Replicas)
            {
                if (await IsLeaderAsync(replica))
                {
                    leader = replica;
                }
            }
            return leader is not null;
        }, TimeSpan.FromSeconds(30), "a leader\n" + bed.Logs());
        var standby = bed.Replicas.Single(r => r != leader);
        Assert.False(await IsLeaderAsync(standby));

        for (var i = 0; i < 3; i++)
        {
            await AssertRefusedByWebhookAsync(bed);
        }
        var standbyBefore = await AdmissionCountAsync(standby, allowed: false);

        leader!.Kill();
        await leader.WaitForExitAsync(TimeSpan.FromSeconds(10));
        const int requests = 10;
        for (var i = 0; i < requests; i++)
        {
            await AssertRefusedByWebhookAsync(bed);
        }
        Assert.True(await AdmissionCountAsync(standby, allowed: false) - standbyBefore >= requests,
            "the surviving replica answered the requests after the leader was killed\n" + bed.Logs());
        await Eventually.WaitUntilAsync(() => IsLeaderAsync(standby), TimeSpan.FromSeconds(30), "the standby to take the Lease\n" + bed.Logs());
    }

    [Fact]
    public async Task With_every_replica_gone_medops_writes_fail_fast_and_clearly_while_other_writes_and_the_operator_namespace_are_unaffected()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        await AssertRefusedByWebhookAsync(bed);
        bed.Replicas[0].Kill();
        await bed.Replicas[0].WaitForExitAsync(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var write = await bed.KubectlYamlAsync(AdmissionFixtures.Model(name: "while-down"), "create");
        clock.Stop();
        Assert.True(write.ExitCode != 0, "a MedOps write was admitted with no webhook answering:\n" + write.Output);
        // The mutating webhook (who created the model) is called first, and fails closed too.
        Assert.Contains("failed calling webhook \"mutate.medops.io\"", write.StandardError, StringComparison.Ordinal);
        var job = await bed.KubectlYamlAsync(AdmissionFixtures.Job("while-down"), "create");
        Assert.True(job.ExitCode != 0, "a TrainingJob was admitted with no webhook answering:\n" + job.Output);
        Assert.Contains("failed calling webhook \"validate.medops.io\"", job.StandardError, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the refusal took {clock.Elapsed.TotalSeconds:0.0}s, longer than the 5 s webhook timeout allows");
        output.WriteLine($"with no replica: refused in {clock.Elapsed.TotalMilliseconds:0} ms: {write.StandardError.Trim()}");

        await bed.KubectlOkAsync("-n", bed.Workloads.Name, "create", "configmap", "unaffected", "--from-literal=a=b");
        var ownNamespace = await cluster.KubectlAsync("-n", bed.ReleaseNamespace.Name, "create", "-f", await WriteTempAsync(AdmissionFixtures.Model(name: "in-operator-namespace")));
        Assert.True(ownNamespace.ExitCode == 0, "a write in the operator's own namespace went to the webhook:\n" + ownNamespace.Output);
    }

    [Fact]
    public async Task A_rotated_certificate_is_served_and_published_without_a_restart()
    {
        await using var bed = await WebhookTestBed.StartAsync(cluster);
        var replica = bed.Replicas[0];
        var issued = await ServedCertificateAsync(bed.Port);
        var bundle = await CaBundleAsync(bed);
        Assert.True(CertificateRotation.IsIssuedBy(issued, LoadFirst(bundle), DateTimeOffset.UtcNow), "the served certificate chains to the published caBundle");
        Assert.Equal(bundle, await SecretKeyAsync(bed, CertificateBundle.CaBundleKey));

        // Another issuer (as cert-manager would) writes a new CA and certificate into the Secret.
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateIssuer.NewAuthority("rotation-test-ca", now, TimeSpan.FromDays(365));
        using var serving = CertificateIssuer.NewServingCertificate(ca, ["localhost"], [System.Net.IPAddress.Loopback], now, TimeSpan.FromDays(90));
        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync(bed.SecretName, bed.ReleaseNamespace.Name);
        secret.Data = new CertificateBundle(CertificateIssuer.CertificatePem(ca), CertificateIssuer.PrivateKeyPem(ca),
            CertificateIssuer.CertificatePem(serving), CertificateIssuer.PrivateKeyPem(serving)).ToSecretData();
        await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, bed.SecretName, bed.ReleaseNamespace.Name);

        await Eventually.WaitUntilAsync(async () => (await ServedCertificateAsync(bed.Port)).Thumbprint == serving.Thumbprint,
            TimeSpan.FromSeconds(30), "the webhook to serve the rotated certificate\n" + bed.Logs());
        await Eventually.WaitUntilAsync(async () => await CaBundleAsync(bed) == CertificateIssuer.CertificatePem(ca),
            TimeSpan.FromSeconds(30), "the caBundle to be the new CA\n" + bed.Logs());
        await AssertRefusedByWebhookAsync(bed);
        Assert.False(replica.HasExited);
        Assert.Single(bed.Replicas);
    }

    private async Task AssertRefusedByWebhookAsync(WebhookTestBed bed)
    {
        var result = await bed.DryRunAsync(RefusedByGuardrail);
        Assert.True(result.ExitCode != 0 && result.StandardError.Contains(GuardrailMessage, StringComparison.Ordinal),
            $"expected the webhook's refusal, got exit {result.ExitCode}:\n{result.Output}\n{bed.Logs()}");
    }

    private async Task<string> JsonPathAsync(WebhookTestBed bed, string kind, string name, string path) =>
        (await bed.KubectlOkAsync("-n", bed.Workloads.Name, "get", kind, name, "-o", $"jsonpath={path}")).StandardOutput.Trim();

    private async Task<string> CaBundleAsync(WebhookTestBed bed)
    {
        var encoded = (await bed.KubectlOkAsync("get", "validatingwebhookconfiguration", bed.Release, "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")).StandardOutput.Trim();
        return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }

    private async Task<string> SecretKeyAsync(WebhookTestBed bed, string key)
    {
        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync(bed.SecretName, bed.ReleaseNamespace.Name);
        return Encoding.UTF8.GetString(secret.Data[key]);
    }

    private static X509Certificate2 LoadFirst(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection[0];
    }

    /// <summary>The certificate the webhook presents to a TLS client right now.</summary>
    private static async Task<X509Certificate2> ServedCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : new X509Certificate2(certificate);
            return true;
        });
        await tls.AuthenticateAsClientAsync("localhost");
        return presented ?? throw new InvalidOperationException("the webhook presented no certificate");
    }

    private static async Task<bool> IsLeaderAsync(OperatorProcess replica) =>
        !replica.HasExited
        && (await Http.GetStringAsync($"http://127.0.0.1:{replica.MetricsPort}/metrics"))
            .Contains("leader_election_master_status{name=\"medops-operator\"} 1", StringComparison.Ordinal);

    /// <summary>The replica's <c>medops_admission_requests_total</c>, summed over kinds and operations, for one verdict.</summary>
    private static async Task<long> AdmissionCountAsync(OperatorProcess replica, bool allowed)
    {
        var text = await Http.GetStringAsync($"http://127.0.0.1:{replica.MetricsPort}/metrics");
        var verdict = allowed ? "true" : "false";
        return AdmissionCounterLine().Matches(text)
            .Where(m => m.Groups["labels"].Value.Contains($"allowed=\"{verdict}\"", StringComparison.Ordinal))
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<string> WriteTempAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-wh-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    [GeneratedRegex(@"^medops_admission_requests_total\{(?<labels>[^}]*)\} (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex AdmissionCounterLine();
}
