using System.Globalization;
using k8s.Models;

namespace MedOps.NodeSimulator.Pods;

/// <summary>How one simulated container behaves, read from its environment (see <see cref="SimulationConvention"/>).</summary>
/// <param name="ExitCode">The code it exits with after <paramref name="RunTime"/>; null: it runs until deleted.</param>
/// <param name="RunTime">How long each run lasts before it exits.</param>
/// <param name="NeverReady">It runs but never reports ready.</param>
/// <param name="Problems">Values that could not be understood and were ignored (logged once per pod).</param>
internal sealed record ContainerBehaviour(int? ExitCode, TimeSpan RunTime, bool NeverReady, IReadOnlyList<string> Problems)
{
    public static ContainerBehaviour For(V1Container container, IDictionary<string, string>? podLabels)
    {
        var env = LiteralEnvironment(container);
        var problems = new List<string>();

        int? exitCode = IsOneShot(podLabels) ? 0 : null;
        if (env.TryGetValue(SimulationConvention.ExitCode, out var exitText))
        {
            if (int.TryParse(exitText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                exitCode = code;
            }
            else
            {
                problems.Add($"{SimulationConvention.ExitCode}='{exitText}' is not a whole number");
            }
        }

        var runTime = SimulationConvention.DefaultRunTime;
        if (env.TryGetValue(SimulationConvention.RunSeconds, out var runText))
        {
            if (double.TryParse(runText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2)
            {
                runTime = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problems.Add($"{SimulationConvention.RunSeconds}='{runText}' is not a number of seconds >= 0");
            }
        }

        if (IsSelectedToFail(env, podLabels))
        {
            exitCode = 1;
        }

        var neverReady = env.TryGetValue(SimulationConvention.NeverReady, out var readyText)
            && string.Equals(readyText.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        return new ContainerBehaviour(exitCode, runTime, neverReady, problems);
    }

    private static bool IsOneShot(IDictionary<string, string>? podLabels) =>
        podLabels is not null && podLabels.TryGetValue(SimulationConvention.ComponentLabel, out var component)
        && SimulationConvention.OneShotComponents.Contains(component);

    private static bool IsSelectedToFail(IReadOnlyDictionary<string, string> env, IDictionary<string, string>? podLabels)
    {
        if (!env.TryGetValue(SimulationConvention.FailRanks, out var ranks)
            || !env.TryGetValue(SimulationConvention.Rank, out var rank)
            || !SplitList(ranks).Contains(rank.Trim()))
        {
            return false;
        }

        if (!env.TryGetValue(SimulationConvention.FailAttempts, out var attempts))
        {
            return true;
        }

        return podLabels is not null
            && podLabels.TryGetValue(SimulationConvention.AttemptLabel, out var attempt)
            && SplitList(attempts).Contains(attempt.Trim());
    }

    private static HashSet<string> SplitList(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Literal <c>value</c>s only (a <c>valueFrom</c> needs a kubelet to resolve); a later entry
    /// with the same name wins, as in Kubernetes.
    /// </summary>
    private static Dictionary<string, string> LiteralEnvironment(V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.Name is { } name && variable.Value is { } value)
            {
                env[name] = value;
            }
        }

        return env;
    }
}
