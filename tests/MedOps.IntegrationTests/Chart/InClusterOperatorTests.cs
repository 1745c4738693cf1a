using System.Text.Json;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Chart;

/// <summary>
/// The chart installs the operator from the image this repository builds (hack/images.sh) with
/// two replicas on the real node: both pods pass their real probes, run as a non-root uid on a
/// read-only root filesystem (as runc applied it, read from the host's /proc), one holds the
/// Lease and a deleted leader hands over within the lease's bounds, <c>kubectl logs</c> shows
/// the operator's log, and the API server calls the admission webhook through its Service.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InClusterOperatorTests(LocalCluster cluster)
{
    public const string OperatorImage = "localhost/medops/operator:0.1.0";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_replicas_from_the_image_run_restricted_elect_a_leader_hand_over_and_serve_the_webhook()
    {
        var release = ChartHelm.NewReleaseName("medops-incluster");
        await using var releaseNs = await cluster.CreateNamespaceAsync("medops-incluster");
        var label = await cluster.KubectlAsync("label", "namespace", releaseNs.Name, $"kubernetes.io/metadata.name={releaseNs.Name}", "--overwrite");
        Assert.True(label.ExitCode == 0, label.Output);
        await ChartHelm.AdoptExistingCrdsAsync(cluster, release, releaseNs.Name);
        try
        {
            await ChartHelm.InstallAsync(cluster, release, releaseNs.Name, InClusterValues);

            var pods = await Eventually.WaitForAsync(
                () => OperatorPodsAsync(release, releaseNs.Name),
                p => p.Count == 2 && p.All(x => x.Ready),
                Timeout,
                "both operator pods to pass their readiness probes");
            Assert.All(pods, p => Assert.Equal("medops-worker", p.Node));

            var holder = await Eventually.WaitForAsync(
                () => LeaseHolderAsync(releaseNs.Name),
                h => pods.Any(p => h.StartsWith(p.Name, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60),
                "one operator pod to hold the Lease");
            var leader = pods.Single(p => holder.StartsWith(p.Name, StringComparison.Ordinal));

            var logs = await cluster.KubectlAsync("-n", releaseNs.Name, "logs", leader.Name);
            Assert.True(logs.ExitCode == 0, logs.Output);
            Assert.Contains("leader", logs.StandardOutput, StringComparison.OrdinalIgnoreCase);

            // The process as runc started it: uid 65532, root filesystem mounted read-only.
            var process = await HostProcessAsync(leader.ContainerId);
            Assert.Equal("65532", process.Uid);
            Assert.Contains("ro", process.RootMountOptions.Split(','));

            // The webhook through its Service: the API server dials the ClusterIP, kube-proxy
            // sends it to an operator pod.
            await using var workload = await cluster.CreateNamespaceAsync("incluster-webhook");
            var refused = await DryRunApplyAsync(workload.Name, InvalidModel);
            Assert.NotEqual(0, refused.ExitCode);
            // The operator's own message (the CRD schema alone accepts this model).
            Assert.Contains("spec.source.uri", refused.Output, StringComparison.Ordinal);
            Assert.Contains("guardrails.phiSourcePrefixes", refused.Output, StringComparison.Ordinal);

            // The leader goes; the other pod takes the Lease within its bounds: at once when the
            // leader releases it on SIGTERM, at worst the pod's 30 s grace period (the operator
            // stops its work before it releases) plus the 15 s lease, plus the kubelet's latency.
            var deleted = await cluster.KubectlAsync("-n", releaseNs.Name, "delete", "pod", leader.Name, "--wait=false");
            Assert.True(deleted.ExitCode == 0, deleted.Output);
            // The standby, or the pod the ReplicaSet starts in the leader's place, whichever asks first.
            var successor = await Eventually.WaitForAsync(
                () => LeaseHolderAsync(releaseNs.Name),
                h => h.Length > 0 && !h.StartsWith(leader.Name, StringComparison.Ordinal),
                TimeSpan.FromSeconds(75),
                "another replica to take over the Lease");
            Assert.Contains((await OperatorPodsAsync(release, releaseNs.Name)).Select(p => p.Name), name => successor.StartsWith(name, StringComparison.Ordinal));
        }
        finally
        {
            await ChartHelm.UninstallQuietlyAsync(cluster, release, releaseNs.Name);
            // helm does not wait for the pods: an operator still shutting down watches every
            // namespace and would act on the next tests' objects (their operators count requests).
            await cluster.KubectlAsync("-n", releaseNs.Name, "wait", "--for=delete", "pod", "-l", $"app.kubernetes.io/instance={release}", "--timeout=90s");
            await Eventually.WaitUntilAsync(async () => (await OperatorPodsAsync(release, releaseNs.Name, includeTerminating: true)).Count == 0,
                TimeSpan.FromSeconds(90), "the uninstalled operator's pods to be gone");
        }
    }

    private static string[] InClusterValues =>
    [
        $"image.repository={OperatorImage.Split(':')[0]}",
        $"image.tag={OperatorImage.Split(':')[1]}",
        "image.pullPolicy=Never",
        "replicaCount=2",
        "nodeSelector.medops\\.io/node=real",
        "tolerations[0].key=medops.io/real-node",
        "tolerations[0].operator=Exists",
        "tolerations[0].effect=NoSchedule",
        $"config.guardrails.phiStorageClasses={{{ChartHelm.SimulatedStorageClass}}}",
    ];

    private const string InvalidModel = """
        apiVersion: medops.io/v1alpha1
        kind: MedicalModel
        metadata: {name: phi-from-a-public-bucket}
        spec:
          modality: Imaging
          version: "1.0.0"
          dataClassification: PHI
          format: ONNX
          source: {uri: "s3://public-models/chest-xray"}
          runtime: {image: localhost/medops/sample-server:0.1.0}
          resources: {cpu: "1", memory: 1Gi}
        """;

    private sealed record OperatorPod(string Name, string Node, bool Ready, string ContainerId);

    private async Task<List<OperatorPod>> OperatorPodsAsync(string release, string ns, bool includeTerminating = false)
    {
        var get = await cluster.KubectlAsync("-n", ns, "get", "pods", "-l", $"app.kubernetes.io/instance={release},app.kubernetes.io/component=operator", "-o", "json");
        Assert.True(get.ExitCode == 0, get.Output);
        using var json = JsonDocument.Parse(get.StandardOutput);
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Where(p => includeTerminating || !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            .Select(p =>
            {
                var status = p.GetProperty("status");
                var containers = status.TryGetProperty("containerStatuses", out var c) ? c.EnumerateArray().ToList() : [];
                return new OperatorPod(
                    p.GetProperty("metadata").GetProperty("name").GetString()!,
                    p.GetProperty("spec").TryGetProperty("nodeName", out var n) ? n.GetString()! : "",
                    containers.Count == 1 && containers[0].GetProperty("ready").GetBoolean(),
                    containers.Count == 1 && containers[0].TryGetProperty("containerID", out var id) ? id.GetString()! : "");
            }).ToList();
    }

    private async Task<string> LeaseHolderAsync(string ns)
    {
        var get = await cluster.KubectlAsync("-n", ns, "get", "lease", "medops-operator", "-o", "jsonpath={.spec.holderIdentity}");
        return get.ExitCode == 0 ? get.StandardOutput.Trim() : "";
    }

    private async Task<ProcessResult> DryRunApplyAsync(string ns, string manifest)
    {
        var file = Path.Combine(Path.GetTempPath(), $"medops-incluster-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, manifest);
        try
        {
            return await cluster.KubectlAsync("-n", ns, "apply", "--dry-run=server", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record HostProcess(string Uid, string RootMountOptions);

    // The container's main process, found on the host by its container ID in its cgroup path
    // (cgroupfs: .../kubepods/.../pod<uid>/<container id>).
    private static async Task<HostProcess> HostProcessAsync(string containerId)
    {
        var id = containerId[(containerId.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var script = $$"""
            for p in /proc/[0-9]*; do
              if grep -q '{{id}}' "$p/cgroup" 2>/dev/null && grep -q medops-operator "$p/cmdline" 2>/dev/null; then
                awk '/^Uid:/ {print $2}' "$p/status"; awk '$5 == "/" {print $6; exit}' "$p/mountinfo"; exit 0
              fi
            done
            exit 1
            """;
        var result = await ProcessRunner.RunAsync("bash", ["-c", script], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"no host process of container {id}:\n{result.Output}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new HostProcess(lines[0].Trim(), lines[1].Trim());
    }
}
