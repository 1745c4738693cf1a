using System.Globalization;
using System.Text;

namespace MedOps.Benchmarks;

/// <summary>Collects benchmark figures and prints them as a markdown table.</summary>
internal sealed class BenchmarkTable
{
    private readonly List<(string Scenario, string Metric, string Value, string Note)> rows = [];

    public void Add(string scenario, string metric, double value, string unit, string note = "") =>
        rows.Add((scenario, metric, Format(value) + " " + unit, note));

    /// <summary>Adds a figure with an upper-bound target, and says whether it was met.</summary>
    public void AddWithTarget(string scenario, string metric, double value, string unit, double atMost, string note = "")
    {
        var verdict = value <= atMost ? "met" : "**missed**";
        var target = $"target ≤ {Format(atMost)} {unit}: {verdict}";
        rows.Add((scenario, metric, Format(value) + " " + unit, note.Length == 0 ? target : $"{target}; {note}"));
    }

    private static string Format(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "N0" : "N2", CultureInfo.InvariantCulture);

    public string ToMarkdown(string title, string machine, string footer = "")
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
        if (footer.Length > 0)
        {
            text.AppendLine();
            text.AppendLine(footer);
        }
        return text.ToString();
    }
}
