using MedOps.Controllers.Admission;
using MedOps.Operator.Configuration;
using MedOps.Operator.Hosting;
using MedOps.Runtime;
using MedOps.Runtime.Admission;

namespace MedOps.Operator.Webhook;

/// <summary>Puts the validating admission webhook into the operator host when <c>--webhook-bind-address</c> is given.</summary>
internal static class WebhookRegistration
{
    /// <summary>
    /// How long one admission decision may take: under the chart's 5 s webhook timeout, so that a
    /// slow lookup ends in this webhook's own clear refusal rather than the API server's timeout.
    /// </summary>
    internal static readonly TimeSpan DecisionDeadline = TimeSpan.FromSeconds(4);

    /// <summary>The guardrails from the options, as the validators take them.</summary>
    public static GuardrailSettings Guardrails(this OperatorOptions options) => new()
    {
        PhiSourcePrefixes = options.PhiSourcePrefixes,
        PhiStorageClasses = options.PhiStorageClasses,
    };

    /// <summary>The dispatcher over the MedOps validators and the certificate component.</summary>
    public static IServiceCollection AddAdmissionWebhook(this IServiceCollection services, Manager manager, OperatorOptions options)
    {
        if (options.Webhook is null)
        {
            return services;
        }
        // Every admitted change and every refusal is recorded, with the authenticated user, in
        // the audit trail before the answer goes back.
        var audit = options.Audit.Enabled ? new AdmissionAudit(AuditRegistration.Sink(manager, options), TimeProvider.System) : null;
        services.AddSingleton(provider => new AdmissionDispatcher(
            MedOpsAdmission.Validators(options.Guardrails(), manager.Api),
            DecisionDeadline,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("MedOps.Admission"),
            MedOpsAdmission.Mutators(),
            audit));
        services.AddSingleton<IOperatorComponent, WebhookCertificates>();
        return services;
    }
}
