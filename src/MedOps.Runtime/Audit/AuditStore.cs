using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Audit;

/// <summary>
/// Keeps audit chains in ConfigMaps of one namespace (<see cref="AuditStoreOptions.Namespace"/>):
/// one chain per audited namespace, split into segments named
/// <c>medops-audit-&lt;chain&gt;-&lt;6-digit number&gt;</c>, each holding up to
/// <see cref="AuditStoreOptions.RecordsPerSegment"/> records as JSON lines under
/// <see cref="RecordsKey"/>.
/// </summary>
/// <remarks>
/// Several processes may append to one chain at once. Each append reads the newest segment fresh
/// and replaces it with the resourceVersion it read, so a concurrent append makes it fail with
/// 409 Conflict; it then reads again and links to the new last record. A segment is never
/// written again once full, and the next one is created only by the writer whose CREATE wins:
/// the chain stays linear. The writer that starts a segment also prunes the oldest segments
/// (retention, size), writing first an <see cref="AuditChain.PrunedAction"/> record per segment
/// into the new one so that the verifier accepts the gap.
/// </remarks>
public sealed partial class AuditStore
{
    /// <summary>The label every segment carries, with <see cref="ManagedByValue"/>.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedByValue = "medops-operator";

    /// <summary>The label naming a segment's chain (<see cref="ChainToken"/>).</summary>
    public const string ChainLabel = "medops.io/audit-chain";

    /// <summary>The label holding a segment's number.</summary>
    public const string SegmentLabel = "medops.io/audit-segment";

    /// <summary>The data key of a segment's records, one JSON line each.</summary>
    public const string RecordsKey = "records.jsonl";

    /// <summary>The chain of cluster-scoped objects (no namespace).</summary>
    public const string ClusterChain = "_cluster";

    /// <summary>The actor of the records the store writes itself (<see cref="AuditChain.PrunedAction"/>).</summary>
    public const string StoreActor = "medops-operator";

    /// <summary>The object kind of <see cref="AuditChain.PrunedAction"/> records (named after the chain).</summary>
    public const string ChainKind = "AuditChain";

    // Names and labels cannot hold "_": the cluster chain's segments use a token no namespace
    // can have (namespaces have no dots).
    private const string ClusterChainToken = "cluster.scoped";

    // A ConfigMap holds at most 1 MiB: a segment of unusually large records is full sooner.
    internal const int MaxSegmentBytes = 768 * 1024;

    private static readonly ResourceType ConfigMaps = ResourceType.For<V1ConfigMap>();
    private readonly KubeApi api;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, ChainState> chains = new(StringComparer.Ordinal);

    /// <summary>Creates a store over <paramref name="api"/>; <paramref name="time"/> stamps the store's own records and dates retention.</summary>
    public AuditStore(KubeApi api, AuditStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(options.Namespace, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RecordsPerSegment, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRecordsPerChain, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        this.api = api;
        Options = options;
        this.time = time;
    }

    /// <summary>The options.</summary>
    public AuditStoreOptions Options { get; }

    /// <summary>The name of segment <paramref name="number"/> of a chain: <c>medops-audit-radiology-000001</c>.</summary>
    public static string SegmentName(string chainNamespace, int number) =>
        $"medops-audit-{ChainToken(chainNamespace)}-{number.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The chain's name as it appears in segment names and in <see cref="ChainLabel"/>: the
    /// namespace itself, or <c>cluster.scoped</c> for <see cref="ClusterChain"/>. Throws for
    /// anything that is neither a namespace name nor <see cref="ClusterChain"/>.
    /// </summary>
    public static string ChainToken(string chainNamespace)
    {
        ArgumentNullException.ThrowIfNull(chainNamespace);
        if (chainNamespace == ClusterChain)
        {
            return ClusterChainToken;
        }
        return chainNamespace.Length <= 63 && NamespaceName().IsMatch(chainNamespace)
            ? chainNamespace
            : throw new ArgumentException($"\"{chainNamespace}\" is not a namespace name (nor {ClusterChain})", nameof(chainNamespace));
    }

    /// <summary>The label selector of a chain's segments.</summary>
    public static string Selector(string chainNamespace) => $"{ChainLabel}={ChainToken(chainNamespace)},{ManagedByLabel}={ManagedByValue}";

    /// <summary>
    /// Appends <paramref name="entries"/> in order to the chain of <paramref name="chainNamespace"/>
    /// and returns the records this call wrote, in chain order: the entries' records and, when
    /// the call started a segment and pruned old ones, the <see cref="AuditChain.PrunedAction"/>
    /// records before them. A batch larger than a segment's room is split over segments.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ChainToken(chainNamespace);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }
        var state = chains.GetOrAdd(chainNamespace, _ => new ChainState());
        // Appends of one process to one chain queue here instead of conflicting with each other.
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            return await AppendLockedAsync(chainNamespace, state, entries, cancellationToken);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    /// <summary>
    /// Reads every retained record of the chain of <paramref name="chainNamespace"/>, in stored
    /// order (segment order, then line order), from one consistent LIST. Throws
    /// <see cref="AuditFormatException"/> for a line that is not a record.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string chainNamespace, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        foreach (var segment in await ListSegmentsAsync(chainNamespace, cancellationToken))
        {
            var lines = Lines(segment.Data);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0)
                {
                    records.Add(Parse(segment, lines[i], i + 1));
                }
            }
        }
        return records;
    }

    /// <summary>The chain's segments as stored, oldest first (for inspection and measurement).</summary>
    public async Task<IReadOnlyList<V1ConfigMap>> ReadSegmentsAsync(string chainNamespace, CancellationToken cancellationToken) =>
        [.. (await ListSegmentsAsync(chainNamespace, cancellationToken)).Select(s => s.Map)];

    private async Task<IReadOnlyList<AuditRecord>> AppendLockedAsync(string chain, ChainState state, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var written = new List<AuditRecord>(entries.Count);
        var offset = 0;
        var failures = 0;
        var segmentsSkipped = 0;
        while (offset < entries.Count)
        {
            state.Head ??= await DiscoverAsync(chain, state, cancellationToken);
            var head = state.Head > 0 ? await GetSegmentAsync(chain, state.Head.Value, cancellationToken) : null;
            if (state.Head > 0 && head is null)
            {
                // The newest segment known is gone (deleted by hand): look for the chain again.
                state.Head = null;
                failures = Failed(chain, failures, null);
                continue;
            }

            if (head is not null && !head.IsFull(Options.RecordsPerSegment))
            {
                var last = head.Last();
                var linked = Fit(LinkAll(entries, offset, Math.Min(entries.Count - offset, Options.RecordsPerSegment - head.Count), last), head.Bytes);
                if (linked.Count > 0)
                {
                    try
                    {
                        await ReplaceAsync(head, linked, cancellationToken);
                        written.AddRange(linked);
                        offset += linked.Count;
                        failures = 0;
                    }
                    catch (KubeApiException exception) when (exception.IsConflict)
                    {
                        // Another writer appended first: read its records and link after them.
                        failures = Failed(chain, failures, exception);
                        await JitterAsync(failures, cancellationToken);
                    }
                    continue;
                }
                // Not even one more record fits in its bytes: the segment is full.
            }

            var number = (state.Head ?? 0) + 1;
            var previous = head?.Last();
            var pruning = previous is null ? [] : await PlanPruningAsync(chain, state, head!, previous, entries.Count - offset, cancellationToken);
            var records = new List<AuditRecord>();
            foreach (var pruned in pruning)
            {
                previous = AuditChain.Link(PrunedEntry(chain, pruned), previous);
                records.Add(previous);
            }
            var room = Math.Max(1, Options.RecordsPerSegment - records.Count);
            var added = Fit(LinkAll(entries, offset, Math.Min(entries.Count - offset, room), previous), records.Sum(r => LineBytes(r)));
            if (added.Count == 0)
            {
                // One record larger than a segment: it cannot be stored at all.
                added = LinkAll(entries, offset, 1, previous);
            }
            records.AddRange(added);
            try
            {
                await CreateAsync(chain, number, records, cancellationToken);
            }
            catch (KubeApiException exception) when (exception.IsConflict)
            {
                // Another writer started this segment first: it is the head now.
                state.Head = number;
                if (++segmentsSkipped > 10_000)
                {
                    throw new InvalidOperationException($"could not append to the audit chain {chain}: segment {number} keeps being taken", exception);
                }
                continue;
            }
            state.Head = number;
            written.AddRange(records);
            offset += added.Count;
            failures = 0;
            await DeletePrunedAsync(state, pruning, cancellationToken);
        }
        return written;
    }

    private int Failed(string chain, int failures, Exception? cause) =>
        ++failures >= Options.MaxAttempts
            ? throw new InvalidOperationException($"could not append to the audit chain {chain}: {failures} attempts met concurrent writes or a vanished segment", cause)
            : failures;

    private static Task JitterAsync(int failures, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (10 * Math.Min(failures, 10)))), cancellationToken);

    private static List<AuditRecord> LinkAll(IReadOnlyList<AuditEntry> entries, int offset, int count, AuditRecord? previous)
    {
        var linked = new List<AuditRecord>(count);
        for (var i = 0; i < count; i++)
        {
            previous = AuditChain.Link(entries[offset + i], previous);
            linked.Add(previous);
        }
        return linked;
    }

    // Keeps the records that fit in a segment already holding usedBytes.
    private static List<AuditRecord> Fit(List<AuditRecord> records, int usedBytes)
    {
        var bytes = usedBytes;
        for (var i = 0; i < records.Count; i++)
        {
            bytes += LineBytes(records[i]);
            if (bytes > MaxSegmentBytes)
            {
                return records[..i];
            }
        }
        return records;
    }

    private static int LineBytes(AuditRecord record) => Encoding.UTF8.GetByteCount(AuditChain.ToJson(record)) + 1;

    private async Task<List<PrunedSegment>> PlanPruningAsync(string chain, ChainState state, Segment head, AuditRecord headLast, int incoming, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - Options.Retention;
        var plan = new List<PrunedSegment>();
        // One AuditPruned record per segment, all in the new segment: at most a segment's worth less one.
        for (var number = state.Oldest; number <= head.Number && plan.Count < Options.RecordsPerSegment - 1; number++)
        {
            var segment = number == head.Number ? head : await GetSegmentAsync(chain, number, cancellationToken);
            if (segment is null)
            {
                if (plan.Count == 0)
                {
                    state.Oldest = number + 1;
                }
                continue;
            }
            var (first, last) = segment.FirstAndLast();
            if (first is null || last is null)
            {
                break;
            }
            var kept = headLast.Seq - first.Seq + 1 + incoming + plan.Count;
            var expired = last.Time < cutoff;
            if (!expired && kept <= Options.MaxRecordsPerChain)
            {
                break;
            }
            plan.Add(new PrunedSegment(segment, last, expired ? "retention" : "maxRecordsPerChain"));
        }
        return plan;
    }

    private AuditEntry PrunedEntry(string chain, PrunedSegment pruned) => new(
        time.GetUtcNow(), StoreActor, AuditChain.PrunedAction, new AuditObject(ChainKind, null, chain, null, null),
        new Dictionary<string, string>
        {
            [AuditChain.ThroughSeqFact] = pruned.Last.Seq.ToString(CultureInfo.InvariantCulture),
            [AuditChain.LastHashFact] = pruned.Last.Hash,
            ["segment"] = pruned.Segment.Name,
            ["reason"] = pruned.Reason,
        });

    private async Task DeletePrunedAsync(ChainState state, List<PrunedSegment> pruning, CancellationToken cancellationToken)
    {
        // Oldest first, so that whatever is deleted before a failure leaves an accounted gap;
        // what is left is planned again when the next segment starts.
        foreach (var pruned in pruning)
        {
            try
            {
                await api.DeleteAsync(ConfigMaps, Options.Namespace, pruned.Segment.Name, uid: pruned.Segment.Map.Metadata?.Uid, cancellationToken: cancellationToken);
                state.Oldest = pruned.Segment.Number + 1;
            }
            catch (Exception exception) when (exception is KubeApiException or TimeoutException or HttpRequestException)
            {
                return;
            }
        }
    }

    private async Task<int> DiscoverAsync(string chain, ChainState state, CancellationToken cancellationToken)
    {
        var segments = await ListSegmentsAsync(chain, cancellationToken);
        state.Oldest = segments.Count == 0 ? 1 : segments[0].Number;
        return segments.Count == 0 ? 0 : segments[^1].Number;
    }

    private async Task<List<Segment>> ListSegmentsAsync(string chain, CancellationToken cancellationToken)
    {
        var selector = Selector(chain);
        var segments = new List<Segment>();
        string? next = null;
        do
        {
            var page = await api.ListAsync<V1ConfigMap>(ConfigMaps, Options.Namespace, selector, limit: 50, continueToken: next, cancellationToken: cancellationToken);
            foreach (var map in page.Items)
            {
                if (NumberOf(chain, map.Metadata?.Name) is { } number)
                {
                    segments.Add(new Segment(number, map));
                }
            }
            next = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
        }
        while (next is not null);
        segments.Sort((a, b) => a.Number.CompareTo(b.Number));
        return segments;
    }

    private async Task<Segment?> GetSegmentAsync(string chain, int number, CancellationToken cancellationToken)
    {
        var map = await api.GetAsync<V1ConfigMap>(ConfigMaps, Options.Namespace, SegmentName(chain, number), cancellationToken);
        return map is null ? null : new Segment(number, map);
    }

    private async Task CreateAsync(string chain, int number, List<AuditRecord> records, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = SegmentName(chain, number),
                NamespaceProperty = Options.Namespace,
                Labels = new Dictionary<string, string>
                {
                    [ManagedByLabel] = ManagedByValue,
                    [ChainLabel] = ChainToken(chain),
                    [SegmentLabel] = number.ToString(CultureInfo.InvariantCulture),
                },
            },
            Data = new Dictionary<string, string> { [RecordsKey] = Append("", records) },
        };
        await api.CreateAsync(ConfigMaps, Options.Namespace, map, cancellationToken);
    }

    private async Task ReplaceAsync(Segment head, List<AuditRecord> records, CancellationToken cancellationToken)
    {
        var map = head.Map;
        map.Data ??= new Dictionary<string, string>();
        map.Data[RecordsKey] = Append(head.Data, records);
        // The map carries the resourceVersion it was read with: a write since makes this a 409.
        await api.ReplaceAsync(ConfigMaps, Options.Namespace, head.Name, map, cancellationToken: cancellationToken);
    }

    private static string Append(string data, List<AuditRecord> records)
    {
        var text = new StringBuilder(data, data.Length + (records.Count * 400));
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
        foreach (var record in records)
        {
            text.Append(AuditChain.ToJson(record)).Append('\n');
        }
        return text.ToString();
    }

    private static int? NumberOf(string chain, string? name)
    {
        var prefix = $"medops-audit-{ChainToken(chain)}-";
        return name is not null && name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }

    private static string[] Lines(string data) => data.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    private static AuditRecord Parse(Segment segment, string line, int number)
    {
        try
        {
            return AuditChain.FromJson(line);
        }
        catch (FormatException exception)
        {
            throw new AuditFormatException(segment.Name, number, exception.Message, exception);
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();

    private sealed class ChainState
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        // The newest segment's number as last seen (0: the chain has none); null: not known.
        public int? Head { get; set; }

        public int Oldest { get; set; } = 1;
    }

    private sealed record PrunedSegment(Segment Segment, AuditRecord Last, string Reason);

    private sealed class Segment(int number, V1ConfigMap map)
    {
        private string[]? lines;

        public int Number { get; } = number;

        public V1ConfigMap Map { get; } = map;

        public string Name => Map.Metadata.Name;

        public string Data => Map.Data is not null && Map.Data.TryGetValue(RecordsKey, out var data) ? data ?? "" : "";

        public int Bytes => Encoding.UTF8.GetByteCount(Data);

        public int Count => NonEmpty().Count();

        public bool IsFull(int recordsPerSegment) => Count >= recordsPerSegment || Bytes >= MaxSegmentBytes;

        public AuditRecord? Last() => NonEmpty().LastOrDefault() is { } last ? Parse(this, last.Text, last.Number) : null;

        public (AuditRecord? First, AuditRecord? Last) FirstAndLast() =>
            NonEmpty().FirstOrDefault() is { } first ? (Parse(this, first.Text, first.Number), Last()) : (null, null);

        private IEnumerable<(string Text, int Number)> NonEmpty()
        {
            lines ??= Lines(Data);
            return lines.Select((text, i) => (text, i + 1)).Where(l => l.text.Length > 0);
        }
    }
}
