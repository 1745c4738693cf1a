using System.Text;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Tests.Api;

public sealed class ListReaderTests
{
    [Fact]
    public async Task Items_are_handed_over_one_by_one_with_the_lists_version_and_continue_token()
    {
        var json = """
            {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"812","continue":"next-page"},
             "items":[{"metadata":{"name":"a","namespace":"x"},"data":{"k":"1"}},{"metadata":{"name":"b","namespace":"x"}}]}
            """;
        var seen = new List<V1ConfigMap>();

        var (version, next) = await ListReader.ReadAsync<V1ConfigMap>(new MemoryStream(Encoding.UTF8.GetBytes(json)), seen.Add, CancellationToken.None);

        Assert.Equal("812", version);
        Assert.Equal("next-page", next);
        Assert.Equal(["a", "b"], seen.Select(c => c.Metadata.Name));
        Assert.Equal("1", seen[0].Data["k"]);
    }

    [Fact]
    public async Task Field_order_unknown_fields_and_null_items_do_not_matter()
    {
        var json = """
            {"items":null,"extra":{"nested":[1,2,{"x":true}]},"metadata":{"resourceVersion":"9"},"kind":"ConfigMapList"}
            """;
        var seen = new List<V1ConfigMap>();

        var (version, next) = await ListReader.ReadAsync<V1ConfigMap>(new MemoryStream(Encoding.UTF8.GetBytes(json)), seen.Add, CancellationToken.None);

        Assert.Equal("9", version);
        Assert.Null(next);
        Assert.Empty(seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_list_arriving_in_pieces_of_any_size_reads_the_same(int chunk)
    {
        // Items larger than the reader's first 64 KB buffer make it grow.
        var big = new string('x', 100_000);
        var items = Enumerable.Range(0, 20).Select(i =>
            "{\"metadata\":{\"name\":\"cm-" + i + "\",\"namespace\":\"x\"},\"data\":{\"big\":\"" + (i % 5 == 0 ? big : "small") + "\"}}");
        var json = "{\"apiVersion\":\"v1\",\"items\":[" + string.Join(",", items) + "],\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"77\"}}";
        var seen = new List<V1ConfigMap>();

        var (version, next) = await ListReader.ReadAsync<V1ConfigMap>(new TrickleStream(Encoding.UTF8.GetBytes(json), chunk), seen.Add, CancellationToken.None);

        Assert.Equal("77", version);
        Assert.Null(next);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"cm-{i}"), seen.Select(c => c.Metadata.Name));
        Assert.Equal(big, seen[5].Data["big"]);
        Assert.Equal("small", seen[6].Data["big"]);
    }

    [Fact]
    public async Task A_list_cut_short_is_an_error_not_a_short_list()
    {
        var json = Encoding.UTF8.GetBytes("""{"metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"a"}},{"metadata":{"na""");

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() =>
            ListReader.ReadAsync<V1ConfigMap>(new TrickleStream(json, 16), _ => { }, CancellationToken.None));
    }

    // Hands out at most `chunk` bytes per read, as a slow network would.
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
