using System.Globalization;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>Runs an attempt until it succeeds or <see cref="RetryPolicy"/> gives up, logging each retry.</summary>
internal sealed class AttemptRunner(DownloadPolicy policy, TextWriter log, Func<double>? jitter = null)
{
    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    /// <summary>The policy it follows.</summary>
    public DownloadPolicy Policy => policy;

    /// <summary>
    /// Runs <paramref name="attempt"/>; an <see cref="AttemptException"/> it throws is retried or
    /// becomes a <see cref="FetchFailure"/> naming <paramref name="what"/> (a URL without its query).
    /// </summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (AttemptException exception)
            {
                var failure = exception.Failure;
                var delay = RetryPolicy.Decide(failure, number, policy, _jitter());
                if (delay is null)
                {
                    var attempts = number > 1 ? $" after {number} attempts" : "";
                    throw new FetchFailure(HttpFailures.Reason(failure), $"{failure.Description} from {what}{attempts}", exception);
                }
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{what}: attempt {number} of {policy.MaxAttempts} failed ({failure.Description}); retrying in {delay.Value.TotalSeconds:0.0} s"));
                await Task.Delay(delay.Value, cancellationToken);
            }
        }
    }
}
