using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;

namespace MedOps.Benchmarks;

/// <summary>
/// The audit trail's cost on the real apiserver: appends N records of realistic size, one per
/// call as the admission webhook does, to one chain; then the segments' count and size (the
/// records' bytes, and the ConfigMaps as the apiserver returns them, metadata and managedFields
/// included) and the latency of one append (a GET of the newest segment and a PUT).
/// </summary>
internal static class AuditBenchmark
{
    public static async Task RunAsync(BenchmarkTable table, string kubeconfig, int count)
    {
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var ns = await BenchNamespace.CreateAsync(admin, "bench-audit");
        try
        {
            var store = new AuditStore(new KubeApi(admin), new AuditStoreOptions(ns), TimeProvider.System);
            var latencies = new double[count];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var one = Stopwatch.StartNew();
                await store.AppendAsync("radiology", [Entry(i)], CancellationToken.None);
                latencies[i] = one.Elapsed.TotalMilliseconds;
            }
            var elapsed = total.Elapsed;

            var records = await store.ReadAsync("radiology", CancellationToken.None);
            var verification = AuditVerifier.Verify(records);
            if (records.Count != count || !verification.Intact)
            {
                throw new InvalidOperationException($"the chain holds {records.Count} records, intact: {verification.Intact} {verification.FirstBreak?.Message}");
            }
            var segments = await store.ReadSegmentsAsync("radiology", CancellationToken.None);
            var dataBytes = segments.Sum(s => (long)Encoding.UTF8.GetByteCount(s.Data[AuditStore.RecordsKey]));
            // As the apiserver serializes them (KubernetesJson would escape every quote as \u0022).
            var api = new KubeApi(admin);
            long storedBytes = 0;
            foreach (var segment in segments)
            {
                var raw = await api.GetRawAsync(ResourceType.For<V1ConfigMap>().ObjectPath(ns, segment.Metadata.Name));
                storedBytes += Encoding.UTF8.GetByteCount(raw);
            }
            Array.Sort(latencies);

            var perThousand = storedBytes * 1000.0 / count;
            table.Add("audit", "records appended (one per call)", count, "records", $"{count / elapsed.TotalSeconds:N0} appends/s, one writer");
            table.Add("audit", "segments", segments.Count, "ConfigMaps", $"{store.Options.RecordsPerSegment} records each");
            table.Add("audit", "records' data", dataBytes, "bytes", $"{dataBytes / (double)count:N0} bytes per record (records.jsonl)");
            table.Add("audit", "stored per 1,000 records", perThousand / 1024.0, "KiB", "the ConfigMaps' JSON as served, managedFields included");
            table.Add("audit", "append latency, p50", Percentile(latencies, 0.50), "ms", "GET of the newest segment + PUT");
            table.Add("audit", "append latency, p95", Percentile(latencies, 0.95), "ms", "");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"audit: {count:N0} records, {segments.Count} segments, {dataBytes:N0} bytes of data ({dataBytes / (double)count:N0} per record), "
                + $"{storedBytes:N0} bytes as stored = {perThousand:N0} bytes ({perThousand / 1024.0:N1} KiB) per 1,000 records, "
                + $"append p50 {Percentile(latencies, 0.50):N1} ms, p95 {Percentile(latencies, 0.95):N1} ms"));
        }
        finally
        {
            await BenchNamespace.DeleteAndWaitAsync(admin, ns, TimeSpan.FromMinutes(2));
        }
    }

    // What the webhook records for a new model version: who, the model, its version, digest and class.
    private static AuditEntry Entry(int i) => new(
        DateTimeOffset.UtcNow,
        i % 3 == 0 ? "alice@hospital.example" : "system:serviceaccount:radiology-ci:model-publisher",
        "ModelVersionChanged",
        new AuditObject("MedicalModel", "radiology", $"chest-xray-{i % 40:D2}", Guid.NewGuid().ToString(), 1 + (i / 40)),
        new Dictionary<string, string>
        {
            ["version"] = $"2.{i / 40}.{i % 40}",
            ["digest"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))),
            ["classification"] = i % 2 == 0 ? "phi" : "deidentified",
        });

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
