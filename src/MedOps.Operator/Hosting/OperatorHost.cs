using k8s;
using MedOps.Operator.Configuration;
using MedOps.Operator.Health;
using MedOps.Operator.Http;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Telemetry;
using MedOps.Operator.Webhook;

namespace MedOps.Operator.Hosting;

/// <summary>Builds the operator's host: Kestrel for probes and metrics, telemetry, leadership and the components.</summary>
internal static class OperatorHost
{
    /// <summary>How long a stop may take in total; Kubernetes sends SIGKILL 30 s after SIGTERM by default.</summary>
    internal static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Builds the host. <paramref name="configureServices"/> lets callers (and tests) add components.</summary>
    public static WebApplication Build(
        OperatorOptions options,
        IKubernetes client,
        IStartupEnvironment environment,
        Action<IServiceCollection>? configureServices = null)
    {
        // The slim builder: Kestrel without HTTPS, IIS or static files; no command-line configuration,
        // because the flags are ours.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "medops-operator",
            ContentRootPath = AppContext.BaseDirectory,
        });
        OperatorLogging.Configure(builder.Logging);
        OperatorHttpServer.ConfigureListeners(builder, options);
        if (options.Webhook is { } webhook)
        {
            WebhookEndpoint.Listen(builder, webhook);
            builder.Services.AddSingleton<ServingCertificateSource>();
        }

        builder.Services
            .Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout)
            .AddSingleton(options)
            .AddSingleton(client)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ReadinessGate>()
            .AddSingleton<HealthProbes>()
            .AddSingleton<OperatorShutdown>()
            .AddLeadership(options)
            .AddOperatorTelemetry(serveMetrics: options.MetricsBindAddress is not null, environment)
            .AddHostedService<OperatorWorker>();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        OperatorHttpServer.MapEndpoints(app, options);
        if (options.Webhook is { } served)
        {
            WebhookEndpoint.Map(app, served);
        }
        return app;
    }

    /// <summary>Starts the host, logs what it serves, and waits for the stop; returns the exit code.</summary>
    public static async Task<int> RunAsync(WebApplication app, OperatorOptions options, string kubeconfigDescription)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("medops-operator");
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            // Kestrel reports an address in use this way; one line, like every start-up failure.
            throw new StartupException(exception.Message);
        }

        logger.LogInformation(
            "medops-operator {Version} started: kubeconfig {Kubeconfig}, health probes on {Health}, metrics on {Metrics}, admission webhook {Webhook}, watching {Namespace}, leader election {LeaderElection}",
            OperatorVersion.Current,
            kubeconfigDescription,
            options.HealthProbeBindAddress,
            options.MetricsBindAddress?.ToString() ?? "disabled",
            options.Webhook is { } webhook ? $"on {webhook.BindAddress} (certificate in Secret {webhook.Secret}, {(webhook.SelfIssued ? "self-issued" : "issued externally")})" : "off",
            options.WatchNamespace ?? "all namespaces",
            options.LeaderElect ? $"on (lease {options.LeaderElectionNamespace}/{OperatorOptions.LeaseName})" : "off");

        using var stopping = app.Lifetime.ApplicationStopping.Register(() => logger.LogInformation("Stopping"));
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        var exitCode = app.Services.GetRequiredService<OperatorShutdown>().ExitCode;
        logger.LogInformation("medops-operator stopped with exit code {ExitCode}", exitCode);
        return exitCode;
    }
}
