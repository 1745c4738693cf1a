using System.Globalization;
using System.Text.RegularExpressions;
using MedOps.Api.Serialization;
using MedOps.Controllers.Shared;
using MedOps.Operator.Http;

namespace MedOps.Operator.Configuration;

/// <summary>
/// Parses the operator's command line with Go's flag conventions (<c>--flag=value</c>,
/// <c>--flag value</c>, one or two dashes, the last occurrence wins) into validated
/// <see cref="OperatorOptions"/>. Every problem becomes one sentence for stderr.
/// </summary>
internal static partial class CommandLineParser
{
    /// <summary>Where Kubernetes mounts the pod's namespace; the default Lease namespace when present.</summary>
    public const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private const string HelpHint = " (run with --help)";

    /// <summary>Parses <paramref name="args"/>; reads only the <c>--config</c> file and the in-cluster namespace file.</summary>
    public static ParsedCommandLine Parse(IReadOnlyList<string> args, IStartupEnvironment environment)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                // Go's end of flags; the operator takes no positional arguments after it.
                return i + 1 < args.Count ? Usage($"unexpected argument \"{args[i + 1]}\"") : Build(values, environment);
            }

            if (arg.Length < 2 || arg[0] != '-' || arg.StartsWith("---", StringComparison.Ordinal))
            {
                return Usage($"unexpected argument \"{arg}\"");
            }

            var body = arg.TrimStart('-');
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            var inlineValue = equals < 0 ? null : body[(equals + 1)..];

            if (name is OperatorFlags.Help or "h")
            {
                return new ParsedCommandLine.ShowHelp();
            }

            if (name == OperatorFlags.Version)
            {
                return new ParsedCommandLine.ShowVersion();
            }

            var flag = OperatorFlags.Find(name);
            if (flag is null)
            {
                return Usage($"unknown flag \"{(equals < 0 ? arg : arg[..arg.IndexOf('=', StringComparison.Ordinal)])}\"");
            }

            if (flag.IsSwitch)
            {
                values[name] = inlineValue ?? "true";
            }
            else if (inlineValue is not null)
            {
                values[name] = inlineValue;
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[name] = args[++i];
            }
            else
            {
                return Usage($"flag --{name} needs a value");
            }
        }

        return Build(values, environment);
    }

    private static ParsedCommandLine Build(Dictionary<string, string> values, IStartupEnvironment environment)
    {
        var options = new OperatorOptions();

        // The file first, so that flags override it.
        if (values.TryGetValue(OperatorFlags.Config, out var configPath))
        {
            if (configPath.Length == 0)
            {
                return Usage("flag --config needs a file name");
            }

            if (!OperatorConfigFileReader.TryRead(configPath, environment, out var file, out var fileError))
            {
                return new ParsedCommandLine.Invalid(fileError!);
            }

            options = options with
            {
                ConfigFilePath = configPath,
                PhiEgressCidrs = file.Guardrails?.PhiEgressCidrs?.AsReadOnly() ?? (IReadOnlyList<string>)[],
                PhiSourcePrefixes = file.Guardrails?.PhiSourcePrefixes?.AsReadOnly() ?? options.PhiSourcePrefixes,
                PhiStorageClasses = file.Guardrails?.PhiStorageClasses?.AsReadOnly() ?? options.PhiStorageClasses,
                ModelInitializerImage = file.Defaults?.ModelInitializerImage ?? options.ModelInitializerImage,
                DefaultWorkspaceLifecycle = LifecycleDefaults.From(file.Defaults?.WorkspaceLifecycle, out _),
                Audit = AuditSettings.From(file.Audit, out _) ?? options.Audit,
            };
        }

        try
        {
            options = options with
            {
                KubeconfigPath = Optional(values, OperatorFlags.Kubeconfig),
                LeaderElect = values.TryGetValue(OperatorFlags.LeaderElect, out var leaderElect) && ParseBool(OperatorFlags.LeaderElect, leaderElect),
                LeaderElectionNamespace = values.TryGetValue(OperatorFlags.LeaderElectionNamespace, out var leaseNamespace)
                    ? ParseNamespace(OperatorFlags.LeaderElectionNamespace, leaseNamespace)
                    : InClusterNamespace(environment) ?? options.LeaderElectionNamespace,
                LeaseDuration = Duration(values, OperatorFlags.LeaseDuration, options.LeaseDuration),
                RenewDeadline = Duration(values, OperatorFlags.RenewDeadline, options.RenewDeadline),
                RetryPeriod = Duration(values, OperatorFlags.RetryPeriod, options.RetryPeriod),
                MetricsBindAddress = values.TryGetValue(OperatorFlags.MetricsBindAddress, out var metrics)
                    ? ParseBindAddress(OperatorFlags.MetricsBindAddress, metrics, canDisable: true)
                    : options.MetricsBindAddress,
                HealthProbeBindAddress = values.TryGetValue(OperatorFlags.HealthProbeBindAddress, out var health)
                    ? ParseBindAddress(OperatorFlags.HealthProbeBindAddress, health, canDisable: false)!
                    : options.HealthProbeBindAddress,
                WatchNamespace = Optional(values, OperatorFlags.Namespace) is { } watched
                    ? ParseNamespace(OperatorFlags.Namespace, watched)
                    : null,
                MaxConcurrentReconciles = values.TryGetValue(OperatorFlags.MaxConcurrentReconciles, out var workers)
                    ? ParseWorkerCount(workers)
                    : options.MaxConcurrentReconciles,
                KubeApiQps = values.TryGetValue(OperatorFlags.KubeApiQps, out var qps)
                    ? ParseRate(qps)
                    : options.KubeApiQps,
                KubeApiBurst = values.TryGetValue(OperatorFlags.KubeApiBurst, out var burst)
                    ? (int)ParsePositive(OperatorFlags.KubeApiBurst, burst, wholeNumber: true)
                    : options.KubeApiBurst,
                ModelInitializerImage = values.TryGetValue(OperatorFlags.ModelInitializerImage, out var image)
                    ? ParseImage(image)
                    : options.ModelInitializerImage,
                Webhook = ParseWebhook(values),
            };
        }
        catch (FlagValueException exception)
        {
            return Usage(exception.Message);
        }

        var conflict = FindConflict(options);
        return conflict is null ? new ParsedCommandLine.Run(options) : Usage(conflict);
    }

    private static string? FindConflict(OperatorOptions options)
    {
        if (options.MetricsBindAddress?.Port == options.HealthProbeBindAddress.Port)
        {
            return $"--{OperatorFlags.MetricsBindAddress} and --{OperatorFlags.HealthProbeBindAddress} must use different ports";
        }

        if (options.Webhook?.BindAddress.Port is { } webhookPort
            && (webhookPort == options.HealthProbeBindAddress.Port || webhookPort == options.MetricsBindAddress?.Port))
        {
            return $"--{OperatorFlags.WebhookBindAddress} must use a port of its own, not the health probes' or the metrics'";
        }

        if (!options.LeaderElect)
        {
            return null;
        }

        // client-go's own checks: otherwise a standby could take over while the leader still works.
        if (options.LeaseDuration <= options.RenewDeadline)
        {
            return $"--{OperatorFlags.LeaseDuration} ({GoDuration.Format(options.LeaseDuration)}) must be longer than --{OperatorFlags.RenewDeadline} ({GoDuration.Format(options.RenewDeadline)})";
        }

        if (options.RenewDeadline <= options.RetryPeriod * 1.2)
        {
            return $"--{OperatorFlags.RenewDeadline} ({GoDuration.Format(options.RenewDeadline)}) must be longer than 1.2 × --{OperatorFlags.RetryPeriod} ({GoDuration.Format(options.RetryPeriod)})";
        }

        return null;
    }

    private static string? Optional(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static string? InClusterNamespace(IStartupEnvironment environment)
    {
        if (!environment.FileExists(InClusterNamespaceFile))
        {
            return null;
        }

        try
        {
            var text = environment.ReadAllText(InClusterNamespaceFile).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool ParseBool(string flag, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw Invalid(flag, value, "expected true or false"),
    };

    private static TimeSpan Duration(Dictionary<string, string> values, string flag, TimeSpan fallback)
    {
        if (!values.TryGetValue(flag, out var value))
        {
            return fallback;
        }

        return GoDuration.TryParse(value, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw Invalid(flag, value, "expected a positive duration such as 15s, 500ms or 1m");
    }

    private static BindAddress? ParseBindAddress(string flag, string value, bool canDisable)
    {
        if (value == BindAddress.Disabled)
        {
            return canDisable ? null : throw Invalid(flag, value, "the health probes cannot be disabled");
        }

        return BindAddress.TryParse(value, out var address, out var error) ? address : throw Invalid(flag, value, error!);
    }

    private static string ParseNamespace(string flag, string value) =>
        NamespacePattern().IsMatch(value) ? value : throw Invalid(flag, value, "not a valid namespace name (lower-case letters, digits and '-', at most 63)");

    private static int ParseWorkerCount(string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            throw Invalid(OperatorFlags.MaxConcurrentReconciles, value, "expected a whole number");
        }

        return count >= 1 ? count : throw Invalid(OperatorFlags.MaxConcurrentReconciles, value, "must be at least 1");
    }

    private static double ParsePositive(string flag, string value, bool wholeNumber = false)
    {
        var styles = wholeNumber ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
        if (!double.TryParse(value, styles, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid(flag, value, wholeNumber ? "expected a whole number" : "expected a number");
        }
        return number > 0 ? number : throw Invalid(flag, value, "must be greater than 0");
    }

    // A rate, or -1 (any value ≤ 0) for no client-side limit, as client-go and controller-runtime read it.
    private static double ParseRate(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid(OperatorFlags.KubeApiQps, value, "expected a number (-1 turns the client-side limit off)");
        }
        return number > 0 ? number : -1;
    }

    // The webhook is served only when it has an address and a Secret; every other webhook flag
    // without an address is a mistake worth a clear error rather than silence.
    private static WebhookOptions? ParseWebhook(Dictionary<string, string> values)
    {
        var address = values.TryGetValue(OperatorFlags.WebhookBindAddress, out var bind) && bind != BindAddress.Disabled
            ? ParseBindAddress(OperatorFlags.WebhookBindAddress, bind, canDisable: true)
            : null;
        string[] dependent = [OperatorFlags.WebhookSecret, OperatorFlags.WebhookService, OperatorFlags.WebhookConfiguration, OperatorFlags.WebhookCertIssuer];
        if (address is null)
        {
            var stray = dependent.FirstOrDefault(values.ContainsKey);
            return stray is null ? null : throw new FlagValueException($"flag --{stray} needs --{OperatorFlags.WebhookBindAddress}");
        }

        var secret = Optional(values, OperatorFlags.WebhookSecret) is { } secretText
            ? ParseNamespacedName(OperatorFlags.WebhookSecret, secretText)
            : throw new FlagValueException($"flag --{OperatorFlags.WebhookBindAddress} needs --{OperatorFlags.WebhookSecret} <namespace>/<name>, the Secret of the serving certificate");
        var selfIssued = !values.TryGetValue(OperatorFlags.WebhookCertIssuer, out var issuer) || issuer switch
        {
            "self" => true,
            "external" => false,
            _ => throw Invalid(OperatorFlags.WebhookCertIssuer, issuer, "expected self or external"),
        };
        var configuration = Optional(values, OperatorFlags.WebhookConfiguration);
        if (configuration is not null && !KubernetesNames.IsDns1123Subdomain(configuration))
        {
            throw Invalid(OperatorFlags.WebhookConfiguration, configuration, "not a valid object name");
        }
        if (configuration is not null && !selfIssued)
        {
            throw new FlagValueException($"flag --{OperatorFlags.WebhookConfiguration} is for self-issued certificates: with --{OperatorFlags.WebhookCertIssuer}=external, cert-manager's CA injector keeps the caBundle");
        }
        return new WebhookOptions
        {
            BindAddress = address,
            Secret = secret,
            Service = Optional(values, OperatorFlags.WebhookService) is { } service ? ParseNamespacedName(OperatorFlags.WebhookService, service) : null,
            ConfigurationName = configuration,
            SelfIssued = selfIssued,
        };
    }

    private static NamespacedName ParseNamespacedName(string flag, string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !NamespacePattern().IsMatch(value[..slash]) || !KubernetesNames.IsDns1123Subdomain(value[(slash + 1)..]))
        {
            throw Invalid(flag, value, "expected <namespace>/<name>");
        }
        return new NamespacedName(value[..slash], value[(slash + 1)..]);
    }

    private static string ParseImage(string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace) ? value : throw Invalid(OperatorFlags.ModelInitializerImage, value, "not an image reference");

    private static FlagValueException Invalid(string flag, string value, string reason) =>
        new($"invalid value \"{value}\" for flag --{flag}: {reason}");

    private static ParsedCommandLine.Invalid Usage(string message) => new(message + HelpHint);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();

    /// <summary>A flag's value could not be converted; carries the sentence for stderr.</summary>
    private sealed class FlagValueException(string message) : Exception(message);
}
