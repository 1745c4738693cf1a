using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.Tests.Kube;

public class ListWatchLoopTests
{
    private sealed class RecordingSink : IWatchSink<string>
    {
        public List<string> Calls { get; } = [];

        public void Replace(IReadOnlyList<string> items)
        {
            lock (Calls)
            {
                Calls.Add("list:" + string.Join(",", items));
            }
        }

        public void Apply(WatchEventType type, string item)
        {
            lock (Calls)
            {
                Calls.Add($"{type}:{item}");
            }
        }

        public int Count
        {
            get
            {
                lock (Calls)
                {
                    return Calls.Count;
                }
            }
        }
    }

    /// <summary>Items are strings "name@resourceVersion"; the fake server scripts one watch per call.</summary>
    private sealed class FakeServer
    {
        public int Lists;
        public List<string> WatchedFrom { get; } = [];

        public Task<ListResult<string>> List(CancellationToken cancellationToken)
        {
            Lists++;
            return Task.FromResult(Lists == 1
                ? new ListResult<string>(["a@1"], "1")
                : new ListResult<string>(["a@5", "b@6"], "6"));
        }

        public async IAsyncEnumerable<(WatchEventType, string)> Watch(
            string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            WatchedFrom.Add(resourceVersion);
            switch (WatchedFrom.Count)
            {
                case 1:
                    yield return (WatchEventType.Added, "b@2");
                    yield return (WatchEventType.Bookmark, "@3");
                    break; // the server closes the watch: reconnect from 3
                case 2:
                    // The history is gone: the server says so in an ERROR event, then closes.
                    onError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }));
                    break;
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
            }
        }
    }

    [Fact]
    public async Task It_lists_watches_reconnects_from_the_last_version_and_re_lists_after_410()
    {
        var server = new FakeServer();
        var sink = new RecordingSink();
        var loop = new ListWatchLoop<string>(
            "things", server.List, server.Watch, item => item.Split('@')[1], sink, new SimulatorLog(TextWriter.Null, TimeProvider.System));
        using var stop = new CancellationTokenSource();

        var run = loop.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.WatchedFrom.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await run;

        Assert.Equal(["1", "3", "6"], server.WatchedFrom);
        Assert.Equal(2, server.Lists);
        Assert.Equal(["list:a@1", "Added:b@2", "list:a@5,b@6"], sink.Calls);
    }

    [Fact]
    public async Task A_resource_that_is_not_served_is_waited_for_quietly()
    {
        var lists = 0;
        var output = new StringWriter();
        var loop = new ListWatchLoop<string>(
            "virtualmachines.kubevirt.io",
            _ =>
            {
                lists++;
                throw new k8s.Autorest.HttpOperationException("not found")
                {
                    Response = new k8s.Autorest.HttpResponseMessageWrapper(
                        new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), "404 page not found"),
                };
            },
            (_, _, _, _) => AsyncEnumerable.Empty<(WatchEventType, string)>(),
            _ => null,
            new RecordingSink(),
            new SimulatorLog(output, TimeProvider.System));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await loop.RunAsync(stop.Token);

        Assert.Equal(1, lists);
        Assert.Contains("not served", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output.ToString(), StringComparison.Ordinal);
    }
}
