using System.Net;
using System.Net.Sockets;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>
/// A loopback TCP forwarder between the runtime and the apiserver. Pausing it cuts every open
/// connection and refuses new ones: from the runtime's side the apiserver is unreachable, while
/// the cluster itself keeps going (and can be changed and compacted meanwhile).
/// </summary>
internal sealed class TcpProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = [];
    private volatile bool paused;

    public TcpProxy(IPEndPoint target)
    {
        this.target = target;
        listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Pause()
    {
        paused = true;
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
            open.Clear();
        }
    }

    public void Resume() => paused = false;

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        Pause();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (paused)
            {
                inbound.Dispose();
                continue;
            }
            _ = Task.Run(() => ForwardAsync(inbound));
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (open)
        {
            open.Add(inbound);
            open.Add(outbound);
        }
        try
        {
            await outbound.ConnectAsync(target, stop.Token);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), stop.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A cut connection is the point of pausing.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
