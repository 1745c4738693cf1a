using System.Globalization;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>Logs a download's progress every few seconds: bytes, percent when the length is known, rate.</summary>
internal sealed class DownloadProgress
{
    private readonly TextWriter _log;
    private readonly string _name;
    private readonly long? _total;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _lastLine;

    /// <summary>Starts the clock for <paramref name="name"/>, of <paramref name="total"/> bytes if known.</summary>
    public DownloadProgress(TextWriter log, string name, long? total, TimeSpan interval, TimeProvider time)
    {
        _log = log;
        _name = name;
        _total = total;
        _interval = interval;
        _time = time;
        _start = _lastLine = time.GetTimestamp();
    }

    /// <summary>The bytes received so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Records <paramref name="bytes"/> more; logs a line when the interval has passed.</summary>
    public void Add(long bytes)
    {
        Bytes += bytes;
        if (_time.GetElapsedTime(_lastLine) >= _interval)
        {
            _lastLine = _time.GetTimestamp();
            _log.WriteLine(Line(_name, Bytes, _total, _time.GetElapsedTime(_start)));
        }
    }

    /// <summary>Logs the final line.</summary>
    public void Complete()
    {
        var elapsed = _time.GetElapsedTime(_start);
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_name}: done, {ByteSizes.Format(Bytes)} in {elapsed.TotalSeconds:0.0} s{Rate(Bytes, elapsed)}"));
    }

    /// <summary><c>model.bin: 12.0 MiB of 100.0 MiB (12%) at 3.4 MiB/s</c>; without "of" and percent when the length is unknown.</summary>
    public static string Line(string name, long bytes, long? total, TimeSpan elapsed)
    {
        var of = total is > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {ByteSizes.Format(total.Value)} ({100 * bytes / total.Value}%)") : "";
        return $"{name}: {ByteSizes.Format(bytes)}{of}{Rate(bytes, elapsed)}";
    }

    private static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? $" at {ByteSizes.Format((long)(bytes / elapsed.TotalSeconds))}/s" : "";
}
