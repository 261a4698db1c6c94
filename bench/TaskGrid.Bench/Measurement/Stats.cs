namespace TaskGrid.Bench.Measurement;

/// <summary>
/// Percentiles and medians. Percentiles are nearest-rank (the value at position
/// ceil(p × n) in sorted order), the definition the peer harness uses and PostgreSQL's
/// <c>percentile_disc</c> computes, so client-side and SQL-side figures mean the same thing.
/// </summary>
internal static class Stats
{
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var index = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public static (double? P50, double? P95, double? P99) Percentiles(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        return (Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99));
    }

    /// <summary>The median of the values present (the mean of the middle two for an even count); null when none are.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Rounds for the report: a figure keeps <paramref name="digits"/> decimals.</summary>
    public static double? Round(double? value, int digits) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;
}
