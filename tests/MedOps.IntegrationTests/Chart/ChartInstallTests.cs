using System.Text.Json;
using MedOps.IntegrationTests.Api;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Chart;

/// <summary>
/// The chart as a platform engineer meets it: <c>helm install</c>, the operator running with a
/// token of the chart's ServiceAccount (so with exactly the chart's RBAC, nothing more), the
/// samples converging, the intended permission matrix, <c>helm upgrade</c> and <c>helm uninstall</c>.
/// </summary>
/// <remarks>
/// There is no container runtime: the chart's Deployment is installed with replicaCount=0 and the
/// published operator runs out of cluster instead, so exactly one operator holds the Lease.
/// </remarks>
[Collection(ClusterCollection.Name)]
public sealed class ChartInstallTests(LocalCluster cluster)
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromMinutes(3);

    /// <summary>What the operator's ServiceAccount may do, cluster-wide install ({0} = workload namespace, {1} = release namespace).</summary>
    private static readonly (string Verb, string Resource, string? Subresource, string? Namespace, bool Allowed)[] ClusterWideMatrix =
    [
        ("list", "medicalmodels.medops.io", null, null, true),
        ("watch", "medicalmodels.medops.io", null, null, true),
        ("create", "medicalmodels.medops.io", null, "{0}", true),
        ("patch", "medicalmodels.medops.io", null, "{0}", true),
        ("patch", "medicalmodels.medops.io", "status", "{0}", true),
        ("update", "medicalmodels.medops.io", "finalizers", "{0}", true),
        ("list", "trainingjobs.medops.io", null, null, true),
        ("delete", "trainingjobs.medops.io", null, "{0}", true),
        ("patch", "trainingjobs.medops.io", "status", "{0}", true),
        ("list", "workspaces.medops.io", null, null, true),
        ("patch", "workspaces.medops.io", "status", "{0}", true),
        ("patch", "workspaces.medops.io", null, "{0}", true),
        ("list", "deployments.apps", null, null, true),
        ("create", "deployments.apps", null, "{0}", true),
        ("patch", "deployments.apps", null, "{0}", true),
        ("watch", "services", null, null, true),
        ("patch", "services", null, "{0}", true),
        ("delete", "horizontalpodautoscalers.autoscaling", null, "{0}", true),
        ("patch", "poddisruptionbudgets.policy", null, "{0}", true),
        ("delete", "networkpolicies.networking.k8s.io", null, "{0}", true),
        ("create", "pods", null, "{0}", true),
        ("delete", "pods", null, "{0}", true),
        ("list", "persistentvolumeclaims", null, null, true),
        ("create", "events", null, "{0}", true),
        ("patch", "events", null, "{0}", true),
        ("patch", "virtualmachines.kubevirt.io", null, "{0}", true),
        ("watch", "datavolumes.cdi.kubevirt.io", null, null, true),
        ("create", "leases.coordination.k8s.io", null, "{1}", true),
        ("get", "leases.coordination.k8s.io/medops-operator", null, "{1}", true),
        ("update", "leases.coordination.k8s.io/medops-operator", null, "{1}", true),
        ("get", "/apis", null, null, true),

        ("get", "secrets", null, "{0}", false),
        ("list", "secrets", null, null, false),
        ("list", "configmaps", null, null, false),
        ("get", "deployments.apps", null, "{0}", false),
        ("update", "deployments.apps", null, "{0}", false),
        ("delete", "deployments.apps", null, "{0}", false),
        ("delete", "services", null, "{0}", false),
        ("get", "pods", null, "{0}", false),
        ("patch", "pods", null, "{0}", false),
        ("create", "pods", "exec", "{0}", false),
        ("create", "persistentvolumeclaims", null, "{0}", false),
        ("delete", "persistentvolumeclaims", null, "{0}", false),
        ("delete", "events", null, "{0}", false),
        ("update", "medicalmodels.medops.io", null, "{0}", false),
        ("delete", "medicalmodels.medops.io", null, "{0}", false),
        ("update", "medicalmodels.medops.io", "status", "{0}", false),
        ("create", "workspaces.medops.io", null, "{0}", false),

        ("delete", "virtualmachines.kubevirt.io", null, "{0}", false),
        ("create", "datavolumes.cdi.kubevirt.io", null, "{0}", false),
        ("update", "leases.coordination.k8s.io/another-lease", null, "{1}", false),
        ("get", "leases.coordination.k8s.io/another-lease", null, "{1}", false),
        ("delete", "leases.coordination.k8s.io/medops-operator", null, "{1}", false),
        ("create", "leases.coordination.k8s.io", null, "{0}", false),
        ("update", "leases.coordination.k8s.io/medops-operator", null, "{0}", false),
        ("create", "namespaces", null, null, false),
        ("list", "nodes", null, null, false),
        ("create", "customresourcedefinitions.apiextensions.k8s.io", null, null, false),
        ("create", "clusterrolebindings.rbac.authorization.k8s.io", null, null, false),
        ("create", "serviceaccounts", "token", "{1}", false),

        // The admission webhook: its one Secret, its one configuration, access reviews and StorageClasses.
        ("get", "secrets/{2}-webhook-tls", null, "{1}", true),
        ("update", "secrets/{2}-webhook-tls", null, "{1}", true),
        ("get", "secrets/another-secret", null, "{1}", false),
        ("update", "secrets/another-secret", null, "{1}", false),
        ("create", "secrets", null, "{1}", false),
        ("patch", "validatingwebhookconfigurations.admissionregistration.k8s.io/{2}", null, null, true),
        ("patch", "validatingwebhookconfigurations.admissionregistration.k8s.io/another-webhook", null, null, false),
        ("create", "validatingwebhookconfigurations.admissionregistration.k8s.io", null, null, false),
        ("create", "subjectaccessreviews.authorization.k8s.io", null, null, true),
        ("list", "storageclasses.storage.k8s.io", null, null, true),
        ("create", "storageclasses.storage.k8s.io", null, null, false),
        ("get", "persistentvolumeclaims", null, "{0}", true),
        ("patch", "persistentvolumeclaims", null, "{0}", true),
        ("get", "trainingjobs.medops.io", null, "{0}", true),
        ("get", "medicalmodels.medops.io", null, "{0}", true),

        // Approvals: read, never made or removed by the operator (a person approves and revokes).
        ("list", "modelapprovals.medops.io", null, null, true),
        ("watch", "modelapprovals.medops.io", null, null, true),
        ("create", "modelapprovals.medops.io", null, "{0}", false),
        ("delete", "modelapprovals.medops.io", null, "{0}", false),
        ("approve", "medicalmodels.medops.io", null, "{0}", false),
        ("patch", "mutatingwebhookconfigurations.admissionregistration.k8s.io/{2}", null, null, true),
        ("patch", "mutatingwebhookconfigurations.admissionregistration.k8s.io/another-webhook", null, null, false),

        // The audit trail: ConfigMaps in its own namespace only.
        ("create", "configmaps", null, "{1}", true),
        ("update", "configmaps", null, "{1}", true),
        ("delete", "configmaps", null, "{1}", true),
        ("create", "configmaps", null, "{0}", false),
        ("update", "configmaps", null, "{0}", false),
    ];

    [Fact]
    public async Task Helm_install_runs_the_samples_with_exactly_the_charts_rbac_then_upgrades_and_uninstalls_keeping_the_crds()
    {
        var release = ChartHelm.NewReleaseName("medops-e2e");
        await using var releaseNs = await cluster.CreateNamespaceAsync("medops-chart");
        await using var workloads = await cluster.CreateNamespaceAsync("chart-samples");
        var serviceAccount = $"{release}-operator";
        var user = $"system:serviceaccount:{releaseNs.Name}:{serviceAccount}";
        var webhookPort = OperatorProcess.FreePort();
        OperatorProcess? op = null;
        try
        {
            // Other tests install the CRDs with kubectl; the release takes them over. The webhook
            // is on, as by default: every sample is admitted by the operator run below.
            await ChartHelm.AdoptExistingCrdsAsync(cluster, release, releaseNs.Name);
            await ChartHelm.InstallAsync(cluster, release, releaseNs.Name, ["replicaCount=0", .. ChartHelm.OutOfClusterWebhookValues(webhookPort)]);
            var manifest = await ChartHelm.RunAsync(cluster, "get", "manifest", release, "--namespace", releaseNs.Name);
            Assert.Contains("name: medicalmodels.medops.io", manifest.StandardOutput, StringComparison.Ordinal);

            // The permission matrix, as the API server answers it for the ServiceAccount.
            var mismatches = new List<string>();
            foreach (var row in ClusterWideMatrix)
            {
                var ns = row.Namespace is null ? null : string.Format(System.Globalization.CultureInfo.InvariantCulture, row.Namespace, workloads.Name, releaseNs.Name);
                var resource = string.Format(System.Globalization.CultureInfo.InvariantCulture, row.Resource, workloads.Name, releaseNs.Name, release);
                var allowed = await ChartHelm.CanIAsync(cluster, user, row.Verb, resource, ns, row.Subresource);
                if (allowed != row.Allowed)
                {
                    mismatches.Add($"{row.Verb} {resource}{(row.Subresource is null ? "" : "/" + row.Subresource)} in {ns ?? "all namespaces"}: expected {(row.Allowed ? "allowed" : "denied")}, got {(allowed ? "allowed" : "denied")}");
                }
            }
            Assert.True(mismatches.Count == 0, "RBAC differs from the intended matrix:\n" + string.Join('\n', mismatches));

            // The operator, out of cluster, as the chart's ServiceAccount, with the chart's config file.
            var kubeconfig = await ChartHelm.WriteServiceAccountKubeconfigAsync(cluster, serviceAccount, releaseNs.Name);
            var started = DateTime.UtcNow;
            op = await StartOperatorAsync(kubeconfig, release, releaseNs.Name, workloads.Name, webhookPort);

            await ApplySamplesAsync(workloads.Name);
            await WaitForSamplesAsync(workloads.Name, op);
            var forbidden = AuditLog.Requests(cluster.AuditLogPath, user, started, DateTime.UtcNow.AddMinutes(1)).Where(e => e.Code == 403).ToList();
            Assert.True(forbidden.Count == 0, "the operator was denied:\n" + string.Join('\n', forbidden.Select(e => $"{e.Verb} {e.Resource}/{e.Name}")));

            // helm upgrade with a new guardrail: the ConfigMap changes and the pod template rolls.
            var checksumBefore = await PodTemplateChecksumAsync(release, releaseNs.Name);
            var upgrade = await ChartHelm.RunAsync(cluster, "upgrade", release, ChartHelm.ChartDirectory, "--namespace", releaseNs.Name,
                "--reuse-values", "--set", "config.guardrails.phiEgressCIDRs={10.20.0.0/16}", "--wait", "--timeout", "2m");
            Assert.True(upgrade.ExitCode == 0, $"helm upgrade failed:\n{upgrade.Output}");
            Assert.Contains("10.20.0.0/16", File.ReadAllText(await ChartHelm.WriteConfigFileAsync(cluster, release, releaseNs.Name)), StringComparison.Ordinal);
            Assert.NotEqual(checksumBefore, await PodTemplateChecksumAsync(release, releaseNs.Name));

            // The operator reads its config at start-up, as a rolled pod would: the PHI model's policy gets the CIDR.
            op.Terminate();
            await op.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, op.ExitCode);
            await op.DisposeAsync();
            op = await StartOperatorAsync(kubeconfig, release, releaseNs.Name, workloads.Name, webhookPort);
            await Eventually.WaitUntilAsync(
                async () => (await cluster.KubectlAsync("-n", workloads.Name, "get", "networkpolicy", "chest-xray", "-o", "jsonpath={.spec.egress[*].to[*].ipBlock.cidr}"))
                    .StandardOutput.Contains("10.20.0.0/16", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the PHI model's NetworkPolicy to allow egress to the upgraded phiEgressCIDRs\n" + Tail(op));

            // helm uninstall with resources present: the CRDs are kept, and so is every resource.
            op.Terminate();
            await op.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var countBefore = await CountMedOpsAsync(workloads.Name);
            var uninstall = await ChartHelm.RunAsync(cluster, "uninstall", release, "--namespace", releaseNs.Name, "--wait");
            Assert.True(uninstall.ExitCode == 0, $"helm uninstall failed:\n{uninstall.Output}");
            Assert.Contains("kept due to the resource policy", uninstall.Output, StringComparison.Ordinal);
            foreach (var crd in MedOpsCrds.Names)
            {
                Assert.Equal(0, (await cluster.KubectlAsync("get", "crd", crd)).ExitCode);
            }
            Assert.Equal(countBefore, await CountMedOpsAsync(workloads.Name));
            Assert.Equal(5, countBefore);
            var leftovers = await cluster.KubectlAsync("get", "clusterrole,clusterrolebinding", "-l", $"app.kubernetes.io/instance={release}", "-o", "name");
            Assert.Equal("", leftovers.StandardOutput.Trim());
            Assert.NotEqual(0, (await cluster.KubectlAsync("-n", releaseNs.Name, "get", "serviceaccount", serviceAccount)).ExitCode);
        }
        finally
        {
            if (op is not null)
            {
                await op.DisposeAsync();
            }
            await ChartHelm.UninstallQuietlyAsync(cluster, release, releaseNs.Name);
        }
    }

    [Fact]
    public async Task Namespaced_install_reconciles_its_namespace_and_cannot_touch_others()
    {
        var release = ChartHelm.NewReleaseName("medops-ns");
        await using var releaseNs = await cluster.CreateNamespaceAsync("medops-chart-ns");
        await using var watched = await cluster.CreateNamespaceAsync("chart-watched");
        await using var other = await cluster.CreateNamespaceAsync("chart-other");
        var serviceAccount = $"{release}-operator";
        var user = $"system:serviceaccount:{releaseNs.Name}:{serviceAccount}";
        OperatorProcess? op = null;
        try
        {
            // The CRDs belong to someone else here (crds.enabled=false): kubectl apply, as other tests do.
            await MedOpsCrds.EnsureInstalledAsync(cluster);
            // Without the webhook: its cluster-scoped configuration and RBAC are the one exception
            // to a namespaced install (tested in the webhook's own tests).
            await ChartHelm.InstallAsync(cluster, release, releaseNs.Name,
                "replicaCount=0", "crds.enabled=false", "rbac.namespaced=true", $"watchNamespace={watched.Name}", "webhook.enabled=false");

            Assert.True(await ChartHelm.CanIAsync(cluster, user, "create", "pods", watched.Name));
            Assert.True(await ChartHelm.CanIAsync(cluster, user, "watch", "medicalmodels.medops.io", watched.Name));
            Assert.True(await ChartHelm.CanIAsync(cluster, user, "create", "leases.coordination.k8s.io", releaseNs.Name));
            Assert.False(await ChartHelm.CanIAsync(cluster, user, "create", "pods", other.Name));
            Assert.False(await ChartHelm.CanIAsync(cluster, user, "list", "medicalmodels.medops.io", null));
            Assert.False(await ChartHelm.CanIAsync(cluster, user, "list", "pods", null));
            var clusterRoles = await cluster.KubectlAsync("get", "clusterrolebinding", "-l", $"app.kubernetes.io/instance={release}", "-o", "name");
            Assert.Equal("", clusterRoles.StandardOutput.Trim());

            var kubeconfig = await ChartHelm.WriteServiceAccountKubeconfigAsync(cluster, serviceAccount, releaseNs.Name);
            var started = DateTime.UtcNow;
            op = await StartOperatorAsync(kubeconfig, release, releaseNs.Name, watched.Name, webhookPort: null);
            var apply = await cluster.KubectlAsync("-n", watched.Name, "apply", "-f", Sample("medicalmodel-cpu-text.yaml"));
            Assert.True(apply.ExitCode == 0, apply.Output);
            await Eventually.WaitUntilAsync(
                async () => (await cluster.KubectlAsync("-n", watched.Name, "get", "medicalmodel", "notes-classifier", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
                    .StandardOutput.Trim() == "True",
                ConvergeTimeout, "notes-classifier to be Ready under namespaced RBAC\n" + Tail(op));
            var forbidden = AuditLog.Requests(cluster.AuditLogPath, user, started, DateTime.UtcNow.AddMinutes(1)).Where(e => e.Code == 403).ToList();
            Assert.True(forbidden.Count == 0, "the operator was denied:\n" + string.Join('\n', forbidden.Select(e => $"{e.Verb} {e.Resource}/{e.Name}")));
        }
        finally
        {
            if (op is not null)
            {
                await op.DisposeAsync();
            }
            await ChartHelm.UninstallQuietlyAsync(cluster, release, releaseNs.Name);
        }
    }

    private async Task<OperatorProcess> StartOperatorAsync(string kubeconfig, string release, string releaseNamespace, string watchNamespace, int? webhookPort)
    {
        // --namespace: the shared cluster may hold other people's MedOps resources; this test's
        // operator reconciles only its own (the RBAC checked above is still the cluster-wide one).
        var config = await ChartHelm.WriteConfigFileAsync(cluster, release, releaseNamespace);
        string[] webhook = webhookPort is { } port ? ChartHelm.WebhookFlags(release, releaseNamespace, port) : [];
        var op = OperatorProcess.StartWithKubeconfig(kubeconfig,
            ["--leader-elect", "--leader-election-namespace", releaseNamespace, "--namespace", watchNamespace, "--config", config, .. webhook]);
        await Eventually.WaitUntilAsync(
            async () => (await cluster.KubectlAsync("-n", releaseNamespace, "get", "lease", "medops-operator", "-o", "jsonpath={.spec.holderIdentity}"))
                .StandardOutput.Trim().Length > 0 || op.HasExited,
            TimeSpan.FromSeconds(60), "the operator to take the Lease\n" + Tail(op));
        Assert.False(op.HasExited, "the operator exited:\n" + op.Output);
        await op.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return op;
    }

    private async Task ApplySamplesAsync(string ns)
    {
        // storage.yaml first: the claims the model and the training job mount. The real-node
        // sample (diagnosis-training.yaml) trains and serves for real: RealWorkloadTests and the
        // demo run it; this test is about the chart's RBAC over the simulated samples.
        var ordered = new[] { Sample("storage.yaml") }.Concat(
            Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "samples"), "*.yaml")
                .Where(f => Path.GetFileName(f) is not ("storage.yaml" or "training-storage.yaml" or "diagnosis-training.yaml"))
                .Order(StringComparer.Ordinal));
        foreach (var file in ordered)
        {
            var apply = await cluster.KubectlAsync("-n", ns, "apply", "-f", file);
            Assert.True(apply.ExitCode == 0, $"kubectl apply -f {file}:\n{apply.Output}");
        }
    }

    private async Task WaitForSamplesAsync(string ns, OperatorProcess op)
    {
        string Describe(JsonElement item) =>
            $"{item.GetProperty("kind").GetString()}/{item.GetProperty("metadata").GetProperty("name").GetString()}={Phase(item)}:{Ready(item)}";

        await Eventually.WaitForAsync(
            async () =>
            {
                var get = await cluster.KubectlAsync("-n", ns, "get", "medops", "-o", "json");
                using var doc = JsonDocument.Parse(get.StandardOutput);
                return doc.RootElement.GetProperty("items").EnumerateArray().Select(Describe).Order(StringComparer.Ordinal).ToList();
            },
            items => items.SequenceEqual(
            [
                "MedicalModel/chest-xray-trained=Ready:True",
                "MedicalModel/chest-xray=Ready:True",
                "MedicalModel/notes-classifier=Ready:True",
                "TrainingJob/chest-xray-train=Succeeded:True",
                "Workspace/dr-smith=Running:True",
            ], StringComparer.Ordinal),
            ConvergeTimeout,
            "every sample to be Ready (the training job Succeeded, its model registered and Ready, the workspace Running)\n" + Tail(op));
    }

    private static string Phase(JsonElement item) =>
        item.TryGetProperty("status", out var s) && s.TryGetProperty("phase", out var p) ? p.GetString() ?? "" : "";

    private static string Ready(JsonElement item) =>
        item.TryGetProperty("status", out var s) && s.TryGetProperty("conditions", out var c)
            ? c.EnumerateArray().Where(x => x.GetProperty("type").GetString() == "Ready").Select(x => x.GetProperty("status").GetString()).FirstOrDefault() ?? ""
            : "";

    private async Task<int> CountMedOpsAsync(string ns)
    {
        var get = await cluster.KubectlAsync("-n", ns, "get", "medops", "-o", "name");
        Assert.True(get.ExitCode == 0, get.Output);
        return get.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private async Task<string> PodTemplateChecksumAsync(string release, string ns) =>
        (await cluster.KubectlAsync("-n", ns, "get", "deployment", $"{release}-operator", "-o", "jsonpath={.spec.template.metadata.annotations.checksum/config}"))
            .StandardOutput.Trim();

    private static string Sample(string file) => Path.Combine(RepositoryLayout.Root, "samples", file);

    private static string Tail(OperatorProcess op) => "operator log:\n" + op.OutputTail(30);
}
