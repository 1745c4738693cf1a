using MedOps.Runtime.Audit;

namespace MedOps.Runtime.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public void Link_numbers_from_one_and_links_each_record_to_the_hash_of_the_one_before()
    {
        var first = AuditChain.Link(AuditSamples.Entry(1), null);
        var second = AuditChain.Link(AuditSamples.Entry(2), first);

        Assert.Equal(1, first.Seq);
        Assert.Equal("", first.Prev);
        Assert.Equal(2, second.Seq);
        Assert.Equal(first.Hash, second.Prev);
        Assert.Matches("^[0-9a-f]{64}$", first.Hash);
        Assert.Equal(AuditChain.HashOf(second), second.Hash);
    }

    [Fact]
    public void The_hash_is_deterministic_and_does_not_depend_on_the_order_of_the_facts()
    {
        var object_ = new AuditObject("Widget", "radiology", "chest-xray", "u1", 3);
        var a = new AuditEntry(AuditSamples.Start, "alice", "VersionChanged", object_, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["Z"] = "3" });
        var b = a with { Facts = new Dictionary<string, string> { ["Z"] = "3", ["b"] = "2", ["a"] = "1" } };

        var ra = AuditChain.Link(a, null);
        var rb = AuditChain.Link(b, null);

        Assert.Equal(ra.Hash, rb.Hash);
        Assert.Equal(ra.Hash, AuditChain.Link(a, null).Hash);
        Assert.Equal(["Z", "a", "b"], ra.Facts.Keys);
        Assert.NotEqual(ra.Hash, AuditChain.Link(a with { Actor = "bob" }, null).Hash);
        Assert.NotEqual(ra.Hash, AuditChain.Link(a with { Facts = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["Z"] = "4" } }, null).Hash);
    }

    [Fact]
    public void The_canonical_line_has_a_fixed_property_order_utc_milliseconds_and_sorted_facts()
    {
        var entry = new AuditEntry(
            new DateTimeOffset(2026, 3, 1, 11, 30, 5, TimeSpan.FromHours(1)).AddTicks(1_234_567),
            "alice@hospital.example", "VersionChanged", new AuditObject("Widget", "radiology", "chest-xray", "u-1", 4),
            new Dictionary<string, string> { ["version"] = "2", ["digest"] = "sha256:ab+c" });

        var record = AuditChain.Link(entry, null);
        var json = AuditChain.ToJson(record);

        Assert.Equal(
            "{\"seq\":1,\"time\":\"2026-03-01T10:30:05.123Z\",\"actor\":\"alice@hospital.example\",\"action\":\"VersionChanged\","
            + "\"object\":{\"kind\":\"Widget\",\"namespace\":\"radiology\",\"name\":\"chest-xray\",\"uid\":\"u-1\",\"generation\":4},"
            + "\"facts\":{\"digest\":\"sha256:ab+c\",\"version\":\"2\"},\"prev\":\"\",\"hash\":\"" + record.Hash + "\"}",
            json);
        Assert.DoesNotContain('\n', json);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 30, 5, 123, TimeSpan.Zero), record.Time);
    }

    [Fact]
    public void A_cluster_scoped_object_leaves_out_its_null_fields()
    {
        var record = AuditChain.Link(new AuditEntry(AuditSamples.Start, "bob", "Created", new AuditObject("StorageClass", null, "fast", null, null)), null);

        var json = AuditChain.ToJson(record);

        Assert.Contains("\"object\":{\"kind\":\"StorageClass\",\"name\":\"fast\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"facts\":{}", json, StringComparison.Ordinal);
        var back = AuditChain.FromJson(json);
        Assert.Null(back.Object.Namespace);
        Assert.Null(back.Object.Uid);
        Assert.Null(back.Object.Generation);
        Assert.Empty(back.Facts);
    }

    [Fact]
    public void A_record_survives_the_round_trip_through_its_json_line()
    {
        foreach (var record in AuditSamples.Chain(5))
        {
            var json = AuditChain.ToJson(record);
            var back = AuditChain.FromJson(json);

            Assert.Equal(json, AuditChain.ToJson(back));
            Assert.Equal(record.Seq, back.Seq);
            Assert.Equal(record.Time, back.Time);
            Assert.Equal(record.Object, back.Object);
            Assert.Equal(record.Facts, back.Facts);
            Assert.Equal(record.Hash, back.Hash);
            Assert.Equal(record.Hash, AuditChain.HashOf(back));
        }
    }

    [Fact]
    public void Quotes_and_control_characters_are_escaped_and_read_back()
    {
        var entry = AuditSamples.Entry(1) with { Facts = new Dictionary<string, string> { ["reason"] = "said \"ok\"\nthen \\ left, 日本" } };
        var record = AuditChain.Link(entry, null);

        var json = AuditChain.ToJson(record);

        Assert.DoesNotContain('\n', json);
        Assert.Contains("日本", json, StringComparison.Ordinal);
        Assert.Equal("said \"ok\"\nthen \\ left, 日本", AuditChain.FromJson(json).Facts["reason"]);
        Assert.Equal(record.Hash, AuditChain.HashOf(AuditChain.FromJson(json)));
    }

    [Fact]
    public void The_log_line_adds_chain_and_head_and_still_reads_as_the_record()
    {
        var chain = AuditSamples.Chain(2);

        var line = AuditChain.ToLogJson(chain[0], "radiology", chain[1].Hash);

        Assert.StartsWith(AuditChain.ToJson(chain[0])[..^1], line, StringComparison.Ordinal);
        Assert.EndsWith($",\"chain\":\"radiology\",\"head\":\"{chain[1].Hash}\"}}", line, StringComparison.Ordinal);
        Assert.Equal(AuditChain.ToJson(chain[0]), AuditChain.ToJson(AuditChain.FromJson(line)));
    }

    [Fact]
    public void The_example_line_of_the_documentation_keeps_its_hash()
    {
        // docs/audit.md shows this line; its hash was computed independently (SHA-256 of the line without "hash").
        const string line = "{\"seq\":42,\"time\":\"2026-03-02T09:14:07.215Z\",\"actor\":\"alice@hospital.example\",\"action\":\"ModelVersionChanged\","
            + "\"object\":{\"kind\":\"MedicalModel\",\"namespace\":\"radiology\",\"name\":\"chest-xray\",\"uid\":\"5b0c7f5e-2f0e-4a4e-9d7b-0c1f3b8a9e21\",\"generation\":7},"
            + "\"facts\":{\"digest\":\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"previousDigest\":\"sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752\","
            + "\"previousVersion\":\"2.3.1\",\"version\":\"2.4.0\"},\"prev\":\"c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a\","
            + "\"hash\":\"235331fd568e702b9738b4c1a85ce9618d7fae778d22b237b0af3dbf3896814b\"}";

        var record = AuditChain.FromJson(line);

        Assert.Equal("235331fd568e702b9738b4c1a85ce9618d7fae778d22b237b0af3dbf3896814b", AuditChain.HashOf(record));
        Assert.Equal(line, AuditChain.ToJson(record));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"seq\":1,\"time\":\"2026-03-01T10:00:00.000Z\",\"actor\":\"a\",\"action\":\"X\",\"facts\":{},\"prev\":\"\",\"hash\":\"h\"}")]
    [InlineData("{\"seq\":\"1\",\"time\":\"2026-03-01T10:00:00.000Z\",\"actor\":\"a\",\"action\":\"X\",\"object\":{\"kind\":\"K\",\"name\":\"n\"},\"facts\":{},\"prev\":\"\",\"hash\":\"h\"}")]
    [InlineData("{\"seq\":1,\"time\":\"yesterday\",\"actor\":\"a\",\"action\":\"X\",\"object\":{\"kind\":\"K\",\"name\":\"n\"},\"facts\":{},\"prev\":\"\",\"hash\":\"h\"}")]
    [InlineData("{\"seq\":1,\"time\":\"2026-03-01T10:00:00.000Z\",\"actor\":\"a\",\"action\":\"X\",\"object\":{\"kind\":\"K\",\"name\":\"n\"},\"facts\":{\"a\":1},\"prev\":\"\",\"hash\":\"h\"}")]
    [InlineData("{\"seq\":1,\"time\":\"2026-03-01T10:00:00.000Z\",\"actor\":\"a\",\"action\":\"X\",\"object\":{\"kind\":\"K\",\"name\":\"n\"},\"facts\":{\"a\":\"1\",\"a\":\"2\"},\"prev\":\"\",\"hash\":\"h\"}")]
    public void A_line_that_is_not_a_record_is_a_format_error(string line)
    {
        Assert.Throws<FormatException>(() => AuditChain.FromJson(line));
    }

    [Fact]
    public void An_entry_without_actor_action_or_object_kind_is_refused()
    {
        var entry = AuditSamples.Entry(1);
        Assert.Throws<ArgumentException>(() => AuditChain.Link(entry with { Actor = "" }, null));
        Assert.Throws<ArgumentException>(() => AuditChain.Link(entry with { Action = "" }, null));
        Assert.Throws<ArgumentException>(() => AuditChain.Link(entry with { Object = entry.Object with { Kind = "" } }, null));
        Assert.Equal("", AuditChain.FromJson(AuditChain.ToJson(AuditChain.Link(entry with { Object = entry.Object with { Name = "" } }, null))).Object.Name);
    }
}
