using MedOps.Runtime.Audit;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.Runtime.Tests.Audit;

public sealed class AuditStoreTests
{
    private const string OperatorNamespace = "medops-system";

    [Fact]
    public async Task Appended_records_are_linked_stored_as_json_lines_and_read_back_in_order()
    {
        var server = new ConfigMapServer();
        var store = Store(server);

        var first = await store.AppendAsync("radiology", [AuditSamples.Entry(1), AuditSamples.Entry(2)], CancellationToken.None);
        var second = await store.AppendAsync("radiology", [AuditSamples.Entry(3)], CancellationToken.None);

        Assert.Equal([1L, 2L], first.Select(r => r.Seq));
        Assert.Equal(first[1].Hash, second[0].Prev);
        Assert.Equal(["medops-audit-radiology-000001"], server.Names);
        var data = server.Data("medops-audit-radiology-000001", AuditStore.RecordsKey);
        Assert.Equal(string.Concat(first.Concat(second).Select(r => AuditChain.ToJson(r) + "\n")), data);
        Assert.Equal("medops-operator", server.Label("medops-audit-radiology-000001", AuditStore.ManagedByLabel));
        Assert.Equal("radiology", server.Label("medops-audit-radiology-000001", AuditStore.ChainLabel));
        Assert.Equal("1", server.Label("medops-audit-radiology-000001", AuditStore.SegmentLabel));

        var read = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(first.Concat(second).Select(AuditChain.ToJson), read.Select(AuditChain.ToJson));
        Assert.True(AuditVerifier.Verify(read, second[^1].Hash).Intact);
    }

    [Fact]
    public async Task Chains_of_different_namespaces_are_kept_apart()
    {
        var server = new ConfigMapServer();
        var store = Store(server);

        await store.AppendAsync("radiology", [AuditSamples.Entry(1)], CancellationToken.None);
        await store.AppendAsync("radio", [AuditSamples.Entry(2), AuditSamples.Entry(3)], CancellationToken.None);
        await store.AppendAsync(AuditStore.ClusterChain, [AuditSamples.Entry(4)], CancellationToken.None);

        Assert.Single(await store.ReadAsync("radiology", CancellationToken.None));
        Assert.Equal(2, (await store.ReadAsync("radio", CancellationToken.None)).Count);
        Assert.Equal(1, (await store.ReadAsync(AuditStore.ClusterChain, CancellationToken.None))[0].Seq);
        Assert.Contains("medops-audit-cluster.scoped-000001", server.Names);
        Assert.Empty(await store.ReadAsync("oncology", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync("Not_A_Namespace", [AuditSamples.Entry(1)], CancellationToken.None));
    }

    [Fact]
    public async Task A_full_segment_is_followed_by_the_next_and_a_large_batch_is_split()
    {
        var server = new ConfigMapServer();
        var store = Store(server, recordsPerSegment: 4);

        for (var i = 1; i <= 6; i++)
        {
            await store.AppendAsync("radiology", [AuditSamples.Entry(i)], CancellationToken.None);
        }
        var batch = await store.AppendAsync("radiology", [.. Enumerable.Range(7, 7).Select(i => AuditSamples.Entry(i))], CancellationToken.None);

        Assert.Equal(7, batch.Count);
        Assert.Equal(
            ["medops-audit-radiology-000001", "medops-audit-radiology-000002", "medops-audit-radiology-000003", "medops-audit-radiology-000004"],
            server.Names);
        Assert.Equal([4, 4, 4, 1], server.Names.Select(n => server.Data(n, AuditStore.RecordsKey).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        var read = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), read.Select(r => r.Seq));
        Assert.True(AuditVerifier.Verify(read).Intact);
    }

    [Fact]
    public async Task A_stale_write_is_retried_after_the_conflict_and_links_after_the_winner()
    {
        var server = new ConfigMapServer();
        var mine = Store(server);
        var theirs = Store(server);
        await mine.AppendAsync("radiology", [AuditSamples.Entry(1)], CancellationToken.None);
        var slipped = false;
        server.BeforePut = _ =>
        {
            if (!slipped)
            {
                slipped = true;
                theirs.AppendAsync("radiology", [AuditSamples.Entry(2, "other")], CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        var written = await mine.AppendAsync("radiology", [AuditSamples.Entry(3)], CancellationToken.None);

        Assert.Equal(1, server.Conflicts);
        Assert.Equal(3, written[0].Seq);
        var read = await mine.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(["chest-xray", "other", "chest-xray"], read.Select(r => r.Object.Name));
        Assert.True(AuditVerifier.Verify(read).Intact);
    }

    [Fact]
    public async Task Two_stores_appending_at_once_keep_one_linear_chain()
    {
        var server = new ConfigMapServer { Latency = 2 };
        var a = Store(server, recordsPerSegment: 16);
        var b = Store(server, recordsPerSegment: 16);

        async Task<List<AuditRecord>> Writer(AuditStore store, string name)
        {
            var records = new List<AuditRecord>();
            for (var i = 0; i < 60; i++)
            {
                records.AddRange(await store.AppendAsync("radiology", [AuditSamples.Entry(i, name)], CancellationToken.None));
            }
            return records;
        }
        var results = await Task.WhenAll(Task.Run(() => Writer(a, "from-a")), Task.Run(() => Writer(b, "from-b")));

        var read = await a.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(120, read.Count);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), read.Select(r => r.Seq));
        Assert.Equal(60, read.Count(r => r.Object.Name == "from-a"));
        Assert.Equal(60, read.Count(r => r.Object.Name == "from-b"));
        var verification = AuditVerifier.Verify(read, read[^1].Hash);
        Assert.True(verification.Intact, verification.FirstBreak?.Message);
        // What each writer was told it wrote is exactly what is stored.
        var stored = read.ToDictionary(r => r.Seq, AuditChain.ToJson);
        Assert.All(results.SelectMany(r => r), r => Assert.Equal(stored[r.Seq], AuditChain.ToJson(r)));
        Assert.True(server.Conflicts + server.AlreadyExists > 0, "the two writers never met: the test proves nothing");
        Assert.Equal(8, server.Names.Count);
    }

    [Fact]
    public async Task Beyond_the_chains_limit_the_oldest_segments_are_pruned_and_the_gap_is_accounted_for()
    {
        var server = new ConfigMapServer();
        var store = Store(server, recordsPerSegment: 5, maxRecords: 12);

        for (var i = 1; i <= 20; i++)
        {
            await store.AppendAsync("radiology", [AuditSamples.Entry(i)], CancellationToken.None);
        }

        var read = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.DoesNotContain("medops-audit-radiology-000001", server.Names);
        Assert.True(read[0].Seq > 1);
        Assert.True(read.Count <= 12 + 5, $"{read.Count} records kept");
        var pruned = read.Where(r => r.Action == AuditChain.PrunedAction).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, p =>
        {
            Assert.Equal(AuditStore.StoreActor, p.Actor);
            Assert.Equal(new AuditObject(AuditStore.ChainKind, null, "radiology", null, null), p.Object);
            Assert.Equal("maxRecordsPerChain", p.Facts["reason"]);
        });
        Assert.Contains(pruned, p => p.Facts[AuditChain.ThroughSeqFact] == (read[0].Seq - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            && p.Facts[AuditChain.LastHashFact] == read[0].Prev);
        var verification = AuditVerifier.Verify(read, read[^1].Hash);
        Assert.True(verification.Intact, verification.FirstBreak?.Message);
    }

    [Fact]
    public async Task Segments_older_than_the_retention_are_pruned_when_a_segment_starts()
    {
        var server = new ConfigMapServer();
        var clock = new FakeTimeProvider(AuditSamples.Start);
        var store = new AuditStore(server.Api(), new AuditStoreOptions(OperatorNamespace) { RecordsPerSegment = 3, Retention = TimeSpan.FromDays(30) }, clock);
        for (var i = 1; i <= 6; i++)
        {
            await store.AppendAsync("radiology", [AuditSamples.Entry(i, time: AuditSamples.Start.AddMinutes(i))], CancellationToken.None);
        }
        clock.Advance(TimeSpan.FromDays(31));
        var late = clock.GetUtcNow();

        var written = await store.AppendAsync("radiology", [AuditSamples.Entry(7, time: late)], CancellationToken.None);

        // Both full segments had expired: two AuditPruned records, then the entry.
        Assert.Equal([AuditChain.PrunedAction, AuditChain.PrunedAction, "VersionChanged"], written.Select(r => r.Action));
        Assert.All(written.Take(2), r => Assert.Equal("retention", r.Facts["reason"]));
        Assert.Equal(late, written[0].Time);
        Assert.Equal(["medops-audit-radiology-000003"], server.Names);
        var read = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal([7L, 8L, 9L], read.Select(r => r.Seq));
        Assert.True(AuditVerifier.Verify(read, written[^1].Hash).Intact);
    }

    [Fact]
    public async Task Recent_segments_under_the_limit_are_kept()
    {
        var server = new ConfigMapServer();
        var store = Store(server, recordsPerSegment: 3);

        for (var i = 1; i <= 10; i++)
        {
            await store.AppendAsync("radiology", [AuditSamples.Entry(i)], CancellationToken.None);
        }

        var read = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(10, read.Count);
        Assert.DoesNotContain(read, r => r.Action == AuditChain.PrunedAction);
        Assert.Equal(4, server.Names.Count);
    }

    [Fact]
    public async Task A_new_store_finds_the_newest_segment_of_an_existing_chain()
    {
        var server = new ConfigMapServer();
        await AppendAsync(Store(server, recordsPerSegment: 3), 7);

        var lists = server.Counts["LIST"];
        var restarted = Store(server, recordsPerSegment: 3);
        var written = await restarted.AppendAsync("radiology", [AuditSamples.Entry(8)], CancellationToken.None);

        Assert.Equal(8, written[0].Seq);
        // One LIST to find the chain, then GETs of its newest segment.
        Assert.Equal(lists + 1, server.Counts["LIST"]);
        await restarted.AppendAsync("radiology", [AuditSamples.Entry(9)], CancellationToken.None);
        Assert.Equal(lists + 1, server.Counts["LIST"]);
        Assert.True(AuditVerifier.Verify(await restarted.ReadAsync("radiology", CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task An_edited_line_is_found_by_the_verifier_and_a_broken_one_names_its_segment_and_line()
    {
        var server = new ConfigMapServer();
        var store = Store(server);
        await AppendAsync(store, 5);
        const string segment = "medops-audit-radiology-000001";

        server.Edit(segment, AuditStore.RecordsKey, data => data.Replace("\"version\":\"v3\"", "\"version\":\"v9\"", StringComparison.Ordinal));
        var broken = AuditVerifier.Verify(await store.ReadAsync("radiology", CancellationToken.None)).FirstBreak;
        Assert.Equal(AuditBreakKind.Altered, broken!.Kind);
        Assert.Equal(3, broken.Seq);

        server.Edit(segment, AuditStore.RecordsKey, data => data.Replace("{\"seq\":4,", "{\"seq\":4", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<AuditFormatException>(() => store.ReadAsync("radiology", CancellationToken.None));
        Assert.Equal(segment, error.Segment);
        Assert.Equal(4, error.Line);
        Assert.StartsWith($"{segment} line 4 is not an audit record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_pages_through_many_segments_in_segment_order()
    {
        var server = new ConfigMapServer();
        var store = Store(server, recordsPerSegment: 2);
        await AppendAsync(store, 130);

        var read = await store.ReadAsync("radiology", CancellationToken.None);

        Assert.Equal(65, server.Names.Count);
        Assert.True(server.Counts["LIST"] >= 2, "50 a page: more than one page");
        Assert.Equal(Enumerable.Range(1, 130).Select(i => (long)i), read.Select(r => r.Seq));
    }

    [Fact]
    public void Segment_names_carry_the_chain_and_a_six_digit_number()
    {
        Assert.Equal("medops-audit-radiology-000042", AuditStore.SegmentName("radiology", 42));
        Assert.Equal("medops-audit-cluster.scoped-000001", AuditStore.SegmentName(AuditStore.ClusterChain, 1));
        Assert.Equal("medops.io/audit-chain=radiology,app.kubernetes.io/managed-by=medops-operator", AuditStore.Selector("radiology"));
        Assert.Throws<ArgumentException>(() => AuditStore.SegmentName("has.dot", 1));
    }

    private static AuditStore Store(ConfigMapServer server, int recordsPerSegment = 256, int maxRecords = 20_000) =>
        new(server.Api(), new AuditStoreOptions(OperatorNamespace) { RecordsPerSegment = recordsPerSegment, MaxRecordsPerChain = maxRecords }, new FakeTimeProvider(AuditSamples.Start));

    private static async Task AppendAsync(AuditStore store, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await store.AppendAsync("radiology", [AuditSamples.Entry(i)], CancellationToken.None);
        }
    }
}
