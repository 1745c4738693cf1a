using MedOps.Runtime.Queue;

namespace MedOps.Runtime.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Exponential_backoff_doubles_per_failure_up_to_the_cap()
    {
        var limiter = new ExponentialBackoffLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5));
        var delays = Enumerable.Range(0, 4).Select(_ => limiter.When("k").TotalMilliseconds).ToArray();
        Assert.Equal([5, 10, 20, 40], delays);

        for (var i = 0; i < 100; i++)
        {
            limiter.When("k");
        }
        Assert.Equal(TimeSpan.FromMinutes(5), limiter.When("k"));
    }

    [Fact]
    public void Backoff_is_per_key_and_forget_starts_over()
    {
        var limiter = new ExponentialBackoffLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5));
        limiter.When("a");
        limiter.When("a");
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        limiter.Forget("a");
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void The_token_bucket_lets_the_burst_through_then_spaces_requests_at_the_rate()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 3, time);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(100, bucket.Reserve().TotalMilliseconds, precision: 3);
        Assert.Equal(200, bucket.Reserve().TotalMilliseconds, precision: 3);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
    }

    [Fact]
    public void The_controller_default_takes_the_longer_of_backoff_and_bucket()
    {
        var limiter = new MaxOfLimiter<string>(
            new ExponentialBackoffLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5)),
            new TokenBucketLimiter<string>(10, 100));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(2, limiter.Retries("a"));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
