namespace MedOps.Operator.Hosting;

/// <summary>Runs a set of components side by side and surfaces the first failure at once.</summary>
internal static class ComponentRunner
{
    /// <summary>
    /// Starts every component. Completes when <paramref name="stoppingToken"/> is cancelled and all
    /// components have returned; throws <see cref="ComponentFailedException"/> as soon as one fails.
    /// Components that return early are fine: the set keeps running (and a leader keeps its Lease)
    /// until the stop.
    /// </summary>
    public static async Task RunAsync(IReadOnlyList<IOperatorComponent> components, ILogger logger, CancellationToken stoppingToken)
    {
        var running = components.ToDictionary(component => Task.Run(() => component.RunAsync(stoppingToken), CancellationToken.None));
        foreach (var component in components)
        {
            logger.LogInformation("Started {Component}", component.Name);
        }

        while (running.Count > 0)
        {
            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var component = running[finished];
            running.Remove(finished);
            if (finished.IsFaulted || (finished.IsCanceled && !stoppingToken.IsCancellationRequested))
            {
                throw new ComponentFailedException(component.Name, finished.Exception?.InnerException);
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The stop everyone waits for.
        }
    }
}

/// <summary>A component's <see cref="IOperatorComponent.RunAsync"/> threw; the process must stop.</summary>
internal sealed class ComponentFailedException(string component, Exception? cause)
    : Exception($"component {component} failed: {cause?.Message ?? "cancelled unexpectedly"}", cause);
