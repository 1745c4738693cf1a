using MedOps.Operator.Telemetry;
using MedOps.Operator.Tests.TestSupport;

namespace MedOps.Operator.Tests.Telemetry;

public sealed class OtlpRegistrationTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_reconcile_spans_are_collected()
    {
        var environment = new FakeStartupEnvironment();
        environment.Variables[TelemetryRegistration.OtlpEndpointVariable] = "http://127.0.0.1:9";

        await using var host = await RunningHost.StartAsync(environment: environment);

        Assert.True(MedOpsTelemetry.ActivitySource.HasListeners());
        using var span = MedOpsTelemetry.ActivitySource.StartActivity("reconcile");
        Assert.NotNull(span);
    }
}
