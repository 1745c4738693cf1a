using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace MedOps.Benchmarks;

/// <summary>
/// Renders benchmark results as PNG charts, because a curve shows a stall, a tail or a crossing
/// that the p50/p99 figures in the markdown table hide. Rendering is headless (SkiaSharp, no X server).
/// </summary>
internal static class BenchmarkCharts
{
    private const int Width = 900;
    private const int Height = 500;

    /// <summary>
    /// Line chart: models converged (y) against seconds since the first create (x), one line per series
    /// (we will pass "operator" and "baseline client"), so the throughput of each and any stall can be compared.
    /// Series with no points are skipped.
    /// </summary>
    public static void WriteConvergence(string pngPath, string title,
        IReadOnlyList<(string Label, IReadOnlyList<(double Seconds, int Converged)> Points)> series)
    {
        var plot = NewPlot(title, "seconds since first create", "models converged");
        foreach (var (label, points) in series)
        {
            if (points.Count == 0)
            {
                continue;
            }
            // Nothing has converged at the first create; the count then only changes when a model
            // converges, so it is drawn as steps, not slopes.
            var line = plot.Add.ScatterLine(
                points.Select(p => p.Seconds).Prepend(0).ToArray(),
                points.Select(p => (double)p.Converged).Prepend(0).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = label;
        }
        StartAxesAtZero(plot);
        Save(plot, pngPath);
    }

    /// <summary>
    /// Latency distribution: one line per series of latencies in milliseconds (unsorted input), drawn as
    /// an empirical CDF (x = latency ms, y = percent of models at or below), with a vertical dashed line
    /// at <paramref name="targetMs"/> labelled "target" and the p50/p99 of each series in its legend label,
    /// e.g. "create → Deployment (p50 480 ms, p99 1,611 ms)". A CDF shows the whole tail, where a
    /// histogram hides it in sparse bins. Empty series are skipped.
    /// </summary>
    public static void WriteLatencyCdf(string pngPath, string title,
        IReadOnlyList<(string Label, IReadOnlyList<double> LatenciesMs)> series, double targetMs)
    {
        var plot = NewPlot(title, "latency (ms)", "% of models");
        foreach (var (label, latencies) in series)
        {
            if (latencies.Count == 0)
            {
                continue;
            }
            var sorted = latencies.Order().ToArray();
            // The curve starts at 0 % on the fastest model and steps up by 1/n at each latency.
            var xs = sorted.Prepend(sorted[0]).ToArray();
            var ys = Enumerable.Range(0, sorted.Length + 1).Select(i => 100.0 * i / sorted.Length).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{label} (p50 {Percentile(sorted, 0.50):N0} ms, p99 {Percentile(sorted, 0.99):N0} ms)");
        }
        var target = plot.Add.VerticalLine(targetMs, width: 2, color: Colors.Red, pattern: LinePattern.Dashed);
        target.LabelText = "target";
        target.LegendText = string.Create(CultureInfo.InvariantCulture, $"target ({targetMs:N0} ms)");
        StartAxesAtZero(plot);
        // Room right of the target so its label is not cut off when it is beyond all the data.
        plot.Axes.SetLimits(0, Math.Max(plot.Axes.GetLimits().Right, targetMs * 1.1), 0, 100);
        Save(plot, pngPath);
    }

    /// <summary>The percentile as the benchmark tables define it: sorted[min(n-1, ceil(p*n)-1)].</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        // The Linux Skia build used here reads fonts straight from /usr/share/fonts (no fontconfig);
        // with none there its default typeface is empty and every label is drawn blank, which is worse than no chart.
        if (SKTypeface.Default.GlyphCount == 0)
        {
            throw new InvalidOperationException(
                "No fonts under /usr/share/fonts, so chart text would be blank: install one, e.g. apt-get install fonts-dejavu-core.");
        }
        var plot = new Plot();
        // Skia's default typeface is whichever font it finds first (often DejaVu Serif); if Sans is missing this falls back to it.
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        // Tick labels follow the current culture otherwise; benchmark output is invariant everywhere.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Invariant };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Invariant };
        return plot;
    }

    private static string Invariant(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);

    /// <summary>Fits the data but starts both axes at zero: no time, count or latency is negative.</summary>
    private static void StartAxesAtZero(Plot plot)
    {
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        // With no data the limits are -infinity, and ScottPlot would fall back to -10..10.
        plot.Axes.SetLimits(0, Math.Max(limits.Right, 1), 0, Math.Max(limits.Top, 1));
    }

    private static void Save(Plot plot, string pngPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        plot.SavePng(pngPath, Width, Height);
    }
}
