using System.Text.Json;
using MedOps.IntegrationTests.Api;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Chart;

/// <summary>
/// Helm and kubectl around the chart in charts/medops: rendering, installing a uniquely named
/// release, adopting CRDs that other tests installed with kubectl, and the kubeconfig of the
/// chart's ServiceAccount that the out-of-cluster operator runs with.
/// </summary>
internal static class ChartHelm
{
    private static readonly TimeSpan HelmTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Temporary files written for the release (tokens, config); deleted by <see cref="UninstallQuietlyAsync"/>.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> TemporaryFiles = [];

    public static string ChartDirectory => Path.Combine(RepositoryLayout.Root, "charts", "medops");

    public static string HelmBinary => Path.Combine(RepositoryLayout.ToolsDirectory, "helm");

    /// <summary>A release name unique to one test; it contains "medops", so resources are named "&lt;release&gt;-operator" etc.</summary>
    public static string NewReleaseName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Runs helm with the local cluster's admin kubeconfig.</summary>
    public static Task<ProcessResult> RunAsync(LocalCluster cluster, params string[] arguments) =>
        ProcessRunner.RunAsync(HelmBinary, ["--kubeconfig", cluster.KubeconfigPath, .. arguments], HelmTimeout);

    /// <summary>Runs helm offline (lint, template).</summary>
    public static Task<ProcessResult> RunOfflineAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(HelmBinary, arguments, HelmTimeout);

    /// <summary><c>helm template</c> of the chart with <c>--set</c> values; fails the test when rendering fails.</summary>
    public static async Task<string> TemplateAsync(params string[] sets)
    {
        var result = await RunOfflineAsync(["template", "medops", ChartDirectory, "--namespace", "medops-system", .. sets.SelectMany(s => new[] { "--set", s })]);
        Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', sets)} failed:\n{result.Output}");
        return result.StandardOutput;
    }

    /// <summary>
    /// Makes CRDs that already exist adoptable by <paramref name="release"/>: Helm refuses to take
    /// over an object without its ownership label and annotations ("invalid ownership metadata").
    /// Other tests install the CRDs with kubectl apply, and a kept CRD still names the release
    /// that last installed it; this is Helm's documented way to adopt existing objects.
    /// </summary>
    public static async Task AdoptExistingCrdsAsync(LocalCluster cluster, string release, string releaseNamespace)
    {
        foreach (var crd in MedOpsCrds.Names)
        {
            var exists = await cluster.KubectlAsync("get", "crd", crd, "--ignore-not-found", "-o", "name");
            if (exists.StandardOutput.Trim().Length == 0)
            {
                continue;
            }
            var label = await cluster.KubectlAsync("label", "crd", crd, "--overwrite", "app.kubernetes.io/managed-by=Helm");
            Assert.True(label.ExitCode == 0, label.Output);
            var annotate = await cluster.KubectlAsync("annotate", "crd", crd, "--overwrite",
                $"meta.helm.sh/release-name={release}", $"meta.helm.sh/release-namespace={releaseNamespace}");
            Assert.True(annotate.ExitCode == 0, annotate.Output);
        }
    }

    /// <summary><c>helm install</c>; fails the test with helm's output when it fails.</summary>
    public static async Task InstallAsync(LocalCluster cluster, string release, string releaseNamespace, params string[] sets)
    {
        var result = await RunAsync(cluster, ["install", release, ChartDirectory, "--namespace", releaseNamespace, "--wait", "--timeout", "2m",
            .. sets.SelectMany(s => new[] { "--set", s })]);
        Assert.True(result.ExitCode == 0, $"helm install {release} failed:\n{result.Output}");
    }

    /// <summary>Uninstalls quietly (test clean-up): the release may already be gone.</summary>
    public static async Task UninstallQuietlyAsync(LocalCluster cluster, string release, string releaseNamespace)
    {
        await RunAsync(cluster, "uninstall", release, "--namespace", releaseNamespace, "--ignore-not-found");
        foreach (var file in TemporaryFiles.Where(f => f.Contains(release, StringComparison.Ordinal)))
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Values that point the chart's admission webhook at an operator run out of cluster on
    /// 127.0.0.1:<paramref name="port"/> (the API server runs on this machine), and that list the
    /// node simulator's StorageClass as the local cluster's (pretend) encrypted class.
    /// </summary>
    public static string[] OutOfClusterWebhookValues(int port) =>
        [$"webhook.url=https://127.0.0.1:{port}/validate", $"config.guardrails.phiStorageClasses={{{SimulatedStorageClass}}}"];

    /// <summary>The node simulator's default StorageClass.</summary>
    public const string SimulatedStorageClass = "medops-simulated";

    /// <summary>The operator flags the chart's Deployment passes for its webhook, with the address on 127.0.0.1.</summary>
    public static string[] WebhookFlags(string release, string releaseNamespace, int port) =>
    [
        "--webhook-bind-address", $"127.0.0.1:{port}",
        "--webhook-secret", $"{releaseNamespace}/{release}-webhook-tls",
        "--webhook-configuration", release,
    ];

    /// <summary>The operator's config file as the chart rendered it into its ConfigMap, written to a temporary file.</summary>
    public static async Task<string> WriteConfigFileAsync(LocalCluster cluster, string release, string releaseNamespace)
    {
        var get = await cluster.KubectlAsync("-n", releaseNamespace, "get", "configmap", $"{release}-operator-config", "-o", "jsonpath={.data.config\\.yaml}");
        Assert.True(get.ExitCode == 0 && get.StandardOutput.Length > 0, $"the chart's ConfigMap is missing:\n{get.Output}");
        var path = Path.Combine(Path.GetTempPath(), $"medops-chart-config-{release}-{Guid.NewGuid():N}.yaml");
        TemporaryFiles.Add(path);
        await File.WriteAllTextAsync(path, get.StandardOutput);
        return path;
    }

    /// <summary>
    /// A kubeconfig holding a fresh token (TokenRequest, <c>kubectl create token</c>) of the chart's
    /// ServiceAccount, for the same API server as the admin kubeconfig: a process using it has
    /// exactly the chart's RBAC.
    /// </summary>
    public static async Task<string> WriteServiceAccountKubeconfigAsync(LocalCluster cluster, string serviceAccount, string releaseNamespace)
    {
        var token = await cluster.KubectlAsync("-n", releaseNamespace, "create", "token", serviceAccount, "--duration", "1h");
        Assert.True(token.ExitCode == 0, $"kubectl create token failed:\n{token.Output}");
        var server = await cluster.KubectlAsync("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
        Assert.True(server.ExitCode == 0, server.Output);
        // Named after the ServiceAccount, which is named after the release: deleted with it.
        var path = Path.Combine(Path.GetTempPath(), $"medops-chart-sa-{serviceAccount}-{Guid.NewGuid():N}.kubeconfig");
        TemporaryFiles.Add(path);
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: medops-local
              cluster:
                server: {JsonSerializer.Serialize(server.StandardOutput.Trim())}
                insecure-skip-tls-verify: true
            users:
            - name: {serviceAccount}
              user:
                token: {JsonSerializer.Serialize(token.StandardOutput.Trim())}
            contexts:
            - name: {serviceAccount}
              context: {"{"}cluster: medops-local, user: {serviceAccount}, namespace: {releaseNamespace}{"}"}
            current-context: {serviceAccount}
            """);
        return path;
    }

    /// <summary>
    /// <c>kubectl auth can-i</c> as the ServiceAccount. <paramref name="resource"/> may carry a name
    /// (<c>leases/medops-operator</c>) or be a non-resource URL (<c>/apis</c>); <paramref name="ns"/>
    /// null means all namespaces.
    /// </summary>
    public static async Task<bool> CanIAsync(LocalCluster cluster, string user, string verb, string resource, string? ns, string? subresource = null)
    {
        var args = new List<string> { "auth", "can-i", verb, resource, "--as", user };
        if (!resource.StartsWith('/'))
        {
            args.AddRange(ns is null ? ["--all-namespaces"] : ["--namespace", ns]);
        }
        if (subresource is not null)
        {
            args.AddRange(["--subresource", subresource]);
        }
        var result = await cluster.KubectlAsync([.. args]);
        var answer = result.StandardOutput.Trim();
        return answer == "yes" || (answer.StartsWith("no", StringComparison.Ordinal)
            ? false
            : throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: {result.Output}"));
    }
}
