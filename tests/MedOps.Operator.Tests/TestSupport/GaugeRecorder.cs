using System.Diagnostics.Metrics;
using MedOps.Operator.Telemetry;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>Captures the values recorded on <c>leader_election_master_status</c> for one lease name.</summary>
internal sealed class GaugeRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private readonly List<long> values = [];

    public GaugeRecorder(string leaseName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, ControllerMetrics.LeaderElectionMasterStatus))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ControllerMetrics.Labels.Name && Equals(tag.Value, leaseName))
                {
                    lock (gate)
                    {
                        values.Add(value);
                    }
                }
            }
        });
        listener.Start();
    }

    public IReadOnlyList<long> Values
    {
        get
        {
            lock (gate)
            {
                return [.. values];
            }
        }
    }

    public long? Last => Values.Count == 0 ? null : Values[^1];

    public void Dispose() => listener.Dispose();
}
