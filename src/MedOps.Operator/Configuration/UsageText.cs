using System.Text;

namespace MedOps.Operator.Configuration;

/// <summary>The text printed by <c>--help</c>, generated from <see cref="OperatorFlags.All"/> so it cannot drift from the parser.</summary>
internal static class UsageText
{
    /// <summary>Builds the usage text.</summary>
    public static string Build()
    {
        var lines = OperatorFlags.All
            .Select(flag => (Left: flag.IsSwitch ? $"--{flag.Name}" : $"--{flag.Name} {flag.ValueName}",
                Right: flag.DefaultText.Length == 0 ? flag.Help : $"{flag.Help} (default: {flag.DefaultText})"))
            .Append((Left: $"--{OperatorFlags.Help}", Right: "Print this help and exit."))
            .Append((Left: $"--{OperatorFlags.Version}", Right: "Print the version and exit."))
            .ToList();
        var width = lines.Max(line => line.Left.Length) + 2;

        var text = new StringBuilder();
        text.AppendLine("medops-operator runs the MedOps controllers (MedicalModel, TrainingJob, Workspace).");
        text.AppendLine();
        text.AppendLine("Usage: medops-operator [flags]");
        text.AppendLine();
        text.AppendLine("Flags:");
        foreach (var (left, right) in lines)
        {
            text.Append("  ").Append(left.PadRight(width)).AppendLine(right);
        }

        text.AppendLine();
        text.AppendLine("Values go as --flag=value or --flag value. Durations use Go syntax: 15s, 500ms, 1m30s.");
        text.AppendLine("OpenTelemetry export over OTLP starts when OTEL_EXPORTER_OTLP_ENDPOINT is set.");
        return text.ToString();
    }
}
