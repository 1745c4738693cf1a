using MedOps.NodeSimulator.Pods;

namespace MedOps.NodeSimulator.Tests.Pods;

public class ContainerLifecycleTests
{
    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(3, 4000)]
    [InlineData(20, 300_000)]
    public void The_crash_loop_back_off_doubles_from_the_startup_delay_up_to_five_minutes(int restartCount, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ContainerLifecycle.Backoff(TimeSpan.FromMilliseconds(500), restartCount));
    }

    [Fact]
    public void The_back_off_never_starts_below_100_ms()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), ContainerLifecycle.Backoff(TimeSpan.Zero, 0));
    }
}
