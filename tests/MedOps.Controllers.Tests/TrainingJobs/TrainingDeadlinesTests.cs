using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class TrainingDeadlinesTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_deadline_counts_from_the_start_time()
    {
        var spec = new V1Alpha1TrainingJobSpec { ActiveDeadlineSeconds = 90 };

        Assert.Equal(Start.AddSeconds(90), TrainingDeadlines.ActiveDeadline(spec, Start));
    }

    [Fact]
    public void There_is_no_deadline_without_the_field_or_before_the_first_attempt()
    {
        Assert.Null(TrainingDeadlines.ActiveDeadline(new V1Alpha1TrainingJobSpec(), Start));
        Assert.Null(TrainingDeadlines.ActiveDeadline(new V1Alpha1TrainingJobSpec { ActiveDeadlineSeconds = 5 }, null));
    }

    [Fact]
    public void The_ttl_counts_from_the_completion_time()
    {
        var spec = new V1Alpha1TrainingJobSpec { TtlSecondsAfterFinished = 0 };

        Assert.Equal(Start, TrainingDeadlines.ExpiresAt(spec, Start));
        Assert.Equal(Start.AddHours(1), TrainingDeadlines.ExpiresAt(new V1Alpha1TrainingJobSpec { TtlSecondsAfterFinished = 3600 }, Start));
        Assert.Null(TrainingDeadlines.ExpiresAt(spec, null));
        Assert.Null(TrainingDeadlines.ExpiresAt(new V1Alpha1TrainingJobSpec(), Start));
    }

    [Fact]
    public void The_wake_up_lands_just_after_the_instant_and_at_once_when_it_passed()
    {
        Assert.Equal(TimeSpan.FromSeconds(30.1), TrainingDeadlines.Until(Start.AddSeconds(30), Start));
        Assert.Equal(TimeSpan.Zero, TrainingDeadlines.Until(Start, Start));
        Assert.Equal(TimeSpan.Zero, TrainingDeadlines.Until(Start, Start.AddMinutes(1)));
    }

}
