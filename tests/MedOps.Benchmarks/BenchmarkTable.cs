using System.Globalization;
using System.Text;

namespace MedOps.Benchmarks;

/// <summary>Collects benchmark figures and prints them as a markdown table.</summary>
internal sealed class BenchmarkTable
{
    private readonly List<(string Scenario, string Metric, string Value, string Note)> rows = [];

    public void Add(string scenario, string metric, double value, string unit, string note = "") =>
        rows.Add((scenario, metric, value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) + " " + unit, note));

    public string ToMarkdown(string title, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        text.AppendLine();
        text.AppendLine(machine);
        text.AppendLine();
        text.AppendLine("| scenario | metric | value | note |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var (scenario, metric, value, note) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {metric} | {value} | {note} |");
        }
        return text.ToString();
    }
}
