using MedOps.ModelInitializer.Downloads;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class DownloadProgressTests
{
    [Fact]
    public void A_line_has_bytes_percent_and_rate_when_the_length_is_known() =>
        Assert.Equal("model.bin: 25.0 MiB of 100.0 MiB (25%) at 5.0 MiB/s",
            DownloadProgress.Line("model.bin", 25L << 20, 100L << 20, TimeSpan.FromSeconds(5)));

    [Fact]
    public void Without_a_length_there_is_no_percent() =>
        Assert.Equal("model.bin: 2.0 KiB at 1.0 KiB/s", DownloadProgress.Line("model.bin", 2048, null, TimeSpan.FromSeconds(2)));

    [Fact]
    public void Lines_come_only_once_the_interval_has_passed()
    {
        using var log = new StringWriter();
        var progress = new DownloadProgress(log, "m", 100, TimeSpan.FromHours(1), TimeProvider.System);

        progress.Add(50);
        progress.Add(50);

        Assert.Equal("", log.ToString());
        Assert.Equal(100, progress.Bytes);
        progress.Complete();
        Assert.StartsWith("m: done, 100 B in ", log.ToString(), StringComparison.Ordinal);
    }
}
