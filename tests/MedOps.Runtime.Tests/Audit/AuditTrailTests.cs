using System.Text.Json;
using MedOps.Runtime.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.Runtime.Tests.Audit;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task Each_record_is_stored_then_logged_as_one_json_line_with_the_chains_head()
    {
        var server = new ConfigMapServer();
        var store = new AuditStore(server.Api(), new AuditStoreOptions("medops-system"), new FakeTimeProvider(AuditSamples.Start));
        var logger = new ListLogger();
        IAuditSink trail = new AuditTrail(store, logger);

        await trail.RecordAsync("radiology", [AuditSamples.Entry(1), AuditSamples.Entry(2)], CancellationToken.None);

        var stored = await store.ReadAsync("radiology", CancellationToken.None);
        Assert.Equal(2, logger.Lines.Count);
        Assert.All(logger.Lines, l =>
        {
            Assert.Equal(LogLevel.Information, l.Level);
            Assert.Equal("audit {Record}", l.Template);
        });
        for (var i = 0; i < 2; i++)
        {
            using var json = JsonDocument.Parse(logger.Lines[i].Record);
            Assert.Equal(stored[1].Hash, json.RootElement.GetProperty("head").GetString());
            Assert.Equal("radiology", json.RootElement.GetProperty("chain").GetString());
            Assert.Equal(AuditChain.ToJson(stored[i]), AuditChain.ToJson(AuditChain.FromJson(logger.Lines[i].Record)));
        }
        Assert.Equal($"audit {logger.Lines[0].Record}", logger.Lines[0].Message);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Template, string Record, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = (IReadOnlyList<KeyValuePair<string, object?>>)state!;
            Lines.Add((logLevel, (string)values.Single(v => v.Key == "{OriginalFormat}").Value!, (string)values.Single(v => v.Key == "Record").Value!, formatter(state, exception)));
        }
    }
}
