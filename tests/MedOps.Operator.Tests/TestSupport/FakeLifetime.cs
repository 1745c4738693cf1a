using Microsoft.Extensions.Hosting;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>An application lifetime whose stop can be triggered by the test.</summary>
internal sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource started = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource stopped = new();

    public CancellationToken ApplicationStarted => started.Token;

    public CancellationToken ApplicationStopping => stopping.Token;

    public CancellationToken ApplicationStopped => stopped.Token;

    public int StopRequests { get; private set; }

    public void MarkStarted() => started.Cancel();

    public void StopApplication()
    {
        StopRequests++;
        stopping.Cancel();
    }

    public void Dispose()
    {
        started.Dispose();
        stopping.Dispose();
        stopped.Dispose();
    }
}
