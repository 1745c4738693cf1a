using MedOps.Api.Serialization;

namespace MedOps.Api.Tests.Serialization;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m", 60_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("2000000ns", 2)]
    [InlineData("+5s", 5_000)]
    [InlineData("-1s", -1_000)]
    [InlineData("0", 0)]
    [InlineData(".5s", 500)]
    public void Parses_go_durations(string text, double expectedMilliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(expectedMilliseconds, duration.TotalMilliseconds, precision: 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("s")]
    [InlineData("1.2.3s")]
    [InlineData("1x")]
    [InlineData("15 s")]
    [InlineData("1S")]
    [InlineData("-")]
    [InlineData("1d")]
    public void Refuses_what_go_refuses(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(15_000, "15s")]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(2_500, "2.5s")]
    public void Formats_like_go(double milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
