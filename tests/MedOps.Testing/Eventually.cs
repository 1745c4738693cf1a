using System.Diagnostics;

namespace MedOps.Testing;

/// <summary>
/// Waits for a condition (on the cluster, or in the process) to hold, checking it often, and
/// fails with the last observed state when it does not hold in time. Tests use it instead of
/// fixed sleeps.
/// </summary>
public static class Eventually
{
    // The cluster is asked every 200 ms; an in-process condition (a counter, a queue length) is
    // cheap to check, so it is looked at every 10 ms.
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan InProcessInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Polls <paramref name="observe"/> until <paramref name="condition"/> holds on its result; returns that result.</summary>
    public static Task<T> WaitForAsync<T>(
        Func<Task<T>> observe,
        Func<T, bool> condition,
        TimeSpan timeout,
        string because) =>
        PollAsync(observe, condition, timeout, because, Interval);

    /// <summary>Polls until <paramref name="condition"/> returns true.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because) =>
        WaitForAsync(condition, ok => ok, timeout, because);

    /// <summary>Polls an in-process <paramref name="condition"/> every 10 ms until it returns true.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        PollAsync(() => Task.FromResult(condition()), ok => ok, timeout, because, InProcessInterval);

    /// <summary>
    /// Checks that <paramref name="condition"/> keeps holding for the whole <paramref name="period"/>:
    /// for properties such as "this pod is never placed on a GPU node".
    /// </summary>
    public static async Task HoldsForAsync(Func<Task<bool>> condition, TimeSpan period, string because)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < period)
        {
            if (!await condition())
            {
                throw new InvalidOperationException($"Expected {because} to hold for {period.TotalSeconds:0}s; it stopped after {clock.Elapsed.TotalSeconds:0.0}s");
            }
            await Task.Delay(Interval);
        }
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string because, TimeSpan interval)
    {
        var clock = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await observe();
                lastError = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lastError = ex;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0}s for {because}; last observed: {Describe(last)}{(lastError is null ? "" : $"; last error: {lastError.Message}")}");
            }
            await Task.Delay(interval);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "nothing",
        k8s.IKubernetesObject o => k8s.KubernetesJson.Serialize(o),
        _ => value.ToString() ?? "",
    };
}
