using System.Globalization;

namespace MedOps.NodeSimulator;

/// <summary>
/// One timestamped line per notable action. Lines come from many concurrent tasks, so writes are
/// serialised; the writer is flushed per line because the output usually goes to a log file that
/// people tail while a test runs.
/// </summary>
internal sealed class SimulatorLog(TextWriter writer, TimeProvider time)
{
    private readonly Lock gate = new();

    public void Info(string message) => Write(message);

    public void Warn(string message) => Write("warning: " + message);

    private void Write(string message)
    {
        var stamp = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        lock (gate)
        {
            writer.WriteLine($"{stamp} {message}");
            writer.Flush();
        }
    }
}
