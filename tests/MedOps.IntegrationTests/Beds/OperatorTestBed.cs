using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Operator;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Beds;

/// <summary>
/// One test's world: a fresh namespace and (unless a bed starts without it) the real operator
/// process watching only it, with what every kind's bed shares: kubectl in the namespace,
/// server-side apply as <c>platform-engineer</c>, reading MedOps objects and their events, and
/// waits whose failure message ends with the operator's last log lines.
/// </summary>
internal abstract class OperatorTestBed : IAsyncDisposable
{
    private OperatorProcess? op;

    protected OperatorTestBed(LocalCluster cluster, TestNamespace ns)
    {
        Cluster = cluster;
        Namespace = ns;
    }

    public LocalCluster Cluster { get; }

    public TestNamespace Namespace { get; }

    /// <summary>The operator process; throws when the bed was started without it and it was not started since.</summary>
    public OperatorProcess Operator => op ?? throw new InvalidOperationException("the bed was started without the operator: call StartOperatorAsync first");

    public string Ns => Namespace.Name;

    public IKubernetes Client => Cluster.Client;

    /// <summary>Runs kubectl in the bed's namespace.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] arguments) => Cluster.KubectlAsync(["-n", Ns, .. arguments]);

    /// <summary>Starts the operator with <c>--namespace</c> of the bed (for beds started without it).</summary>
    public async Task StartOperatorAsync()
    {
        if (op is not null)
        {
            throw new InvalidOperationException("the operator of this bed is already running");
        }
        op = await Cluster.StartOperatorAsync("--namespace", Ns);
    }

    /// <summary><c>kubectl apply --server-side --field-manager platform-engineer</c> of <paramref name="manifest"/>.</summary>
    public Task<ProcessResult> ApplyAsync(JsonObject manifest) =>
        MedOpsCrds.KubectlOnManifestAsync(Cluster, manifest.ToJsonString(), "apply", "--server-side", "--field-manager", "platform-engineer");

    /// <summary><see cref="ApplyAsync"/>, asserting that kubectl succeeded.</summary>
    public async Task ApplyOkAsync(JsonObject manifest)
    {
        var result = await ApplyAsync(manifest);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>The MedOps object <paramref name="name"/> of kind <typeparamref name="T"/> in the namespace.</summary>
    public async Task<T> GetObjectAsync<T>(string name)
        where T : IKubernetesObject =>
        KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(
            await Client.CustomObjects.GetNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, Ns, PluralOf<T>(), name)));

    /// <summary>The events about the object <paramref name="kind"/>/<paramref name="name"/> with <paramref name="reason"/>.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string kind, string name, string reason) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns)).Items
            .Where(e => e.InvolvedObject.Name == name && e.InvolvedObject.Kind == kind && e.Reason == reason).ToList();

    /// <summary>
    /// The events about <paramref name="kind"/>/<paramref name="name"/> with <paramref name="reason"/>,
    /// once there is at least one (that <paramref name="match"/> accepts, when given). The operator
    /// writes events off the reconcile path (<c>EventRecorder</c>), so an event can land a moment
    /// after the status that caused it.
    /// </summary>
    public Task<IReadOnlyList<Corev1Event>> WaitForEventsAsync(
        string kind, string name, string reason, Func<Corev1Event, bool>? match = null, string? what = null, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => EventsAsync(kind, name, reason), events => events.Any(match ?? (_ => true)),
            timeout ?? TimeSpan.FromSeconds(30), what ?? $"an event {reason} about {kind}/{name}");

    /// <summary>The last 30 lines the operator printed (empty while it does not run).</summary>
    public string OperatorTail() => op?.OutputTail(30) ?? "";

    public async ValueTask DisposeAsync()
    {
        if (op is not null)
        {
            await op.DisposeAsync();
        }
        await Namespace.DisposeAsync();
    }

    /// <summary>
    /// Creates the namespace and the bed in it, installs the CRDs, runs <paramref name="prepare"/>
    /// (for objects that must exist before the operator starts) and starts the operator unless told
    /// otherwise; disposes the bed if any of it fails.
    /// </summary>
    protected static async Task<TBed> StartAsync<TBed>(
        LocalCluster cluster, string prefix, Func<TestNamespace, TBed> create, Func<TBed, Task>? prepare = null, bool startOperator = true)
        where TBed : OperatorTestBed
    {
        var bed = create(await cluster.CreateNamespaceAsync(prefix));
        try
        {
            await MedOpsCrds.EnsureInstalledAsync(cluster);
            if (prepare is not null)
            {
                await prepare(bed);
            }
            if (startOperator)
            {
                await bed.StartOperatorAsync();
            }
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary><see cref="Eventually.WaitForAsync"/> with the operator's last log lines (at the start of the wait) after <paramref name="because"/>.</summary>
    protected Task<T> WaitForAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string because) =>
        Eventually.WaitForAsync(observe, condition, timeout, because + "\noperator log:\n" + OperatorTail());

    /// <summary>
    /// Whether condition <paramref name="type"/> is True with <paramref name="reason"/> and Ready
    /// is False with the same reason (Stalled, or Failed for a training job).
    /// </summary>
    protected static bool TrueAndNotReady(IEnumerable<V1Condition>? conditions, string type, string reason) =>
        Conditions.Find(conditions, type) is { Status: "True" } condition && condition.Reason == reason
            && Conditions.Find(conditions, ConditionTypes.Ready) is { Status: "False" } ready && ready.Reason == reason;

    private static string PluralOf<T>() =>
        typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()?.PluralName
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity]");
}
