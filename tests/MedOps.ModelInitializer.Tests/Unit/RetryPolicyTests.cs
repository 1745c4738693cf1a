using MedOps.ModelInitializer.Downloads;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class RetryPolicyTests
{
    private static readonly DownloadPolicy Policy = new()
    {
        MaxAttempts = 5,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(6),
        MaxRetryAfter = TimeSpan.FromSeconds(60),
    };

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(429)]
    public void Transient_statuses_are_retried(int status) =>
        Assert.NotNull(RetryPolicy.Decide(Status(status), 1, Policy, 0.5));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(416)]
    [InlineData(304)]
    public void Other_statuses_are_final(int status) =>
        Assert.Null(RetryPolicy.Decide(Status(status), 1, Policy, 0.5));

    [Theory]
    [InlineData(nameof(AttemptFailureKind.ConnectionError))]
    [InlineData(nameof(AttemptFailureKind.Truncated))]
    [InlineData(nameof(AttemptFailureKind.Timeout))]
    public void Connection_errors_truncation_and_timeouts_are_retried(string kind) =>
        Assert.NotNull(RetryPolicy.Decide(new AttemptFailure(Enum.Parse<AttemptFailureKind>(kind), "x"), 1, Policy, 0.5));

    [Fact]
    public void The_backoff_doubles_and_is_capped()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Backoff(1, Policy));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.Backoff(2, Policy));
        Assert.Equal(TimeSpan.FromSeconds(4), RetryPolicy.Backoff(3, Policy));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryPolicy.Backoff(4, Policy));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryPolicy.Backoff(1000, Policy));
    }

    [Fact]
    public void Jitter_spreads_the_delay_between_half_and_all_of_the_backoff()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Decide(Status(503), 2, Policy, 0));
        Assert.Equal(TimeSpan.FromSeconds(1.5), RetryPolicy.Decide(Status(503), 2, Policy, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.Decide(Status(503), 2, Policy, 1));
    }

    [Fact]
    public void The_last_attempt_is_not_retried()
    {
        Assert.NotNull(RetryPolicy.Decide(Status(503), 4, Policy, 0.5));
        Assert.Null(RetryPolicy.Decide(Status(503), 5, Policy, 0.5));
    }

    [Fact]
    public void Retry_after_is_waited_at_least()
    {
        var failure = Status(429, TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(20), RetryPolicy.Decide(failure, 1, Policy, 0.5));
    }

    [Fact]
    public void A_short_retry_after_does_not_shorten_the_backoff()
    {
        var failure = Status(503, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.Decide(failure, 3, Policy, 0.5));
    }

    [Fact]
    public void A_huge_retry_after_is_cut_to_the_maximum()
    {
        var failure = Status(503, TimeSpan.FromHours(3));

        Assert.Equal(TimeSpan.FromSeconds(60), RetryPolicy.Decide(failure, 1, Policy, 0.5));
    }

    [Fact]
    public void A_retry_after_on_a_final_status_changes_nothing() =>
        Assert.Null(RetryPolicy.Decide(Status(403, TimeSpan.FromSeconds(1)), 1, Policy, 0.5));

    private static AttemptFailure Status(int code, TimeSpan? retryAfter = null) =>
        new(AttemptFailureKind.Status, $"HTTP {code}", code, retryAfter);
}
