namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// Histogram bucket bounds. Every process uses the same ones, so buckets published by different
/// silos add up, and the dashboard's percentiles are computed from the sums.
/// </summary>
public static class MetricsBuckets
{
    /// <summary>Upper bounds in seconds, from 5 ms to 10 minutes; a last +Inf bucket follows them.</summary>
    public static IReadOnlyList<double> Seconds { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>The index of the bucket <paramref name="value"/> falls in (<see cref="Seconds"/>.Count for +Inf).</summary>
    public static int IndexOf(double value)
    {
        var bounds = Seconds;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (value <= bounds[i])
            {
                return i;
            }
        }
        return bounds.Count;
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) of observations counted per bucket (non-cumulative,
    /// +Inf last), interpolated linearly within its bucket as Prometheus' <c>histogram_quantile</c>
    /// does; null when nothing was observed.
    /// </summary>
    public static double? Quantile(IReadOnlyList<long> counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }
        var bounds = Seconds;
        var rank = quantile * total;
        long before = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] > 0 && before + counts[i] >= rank)
            {
                if (i >= bounds.Count)
                {
                    return bounds[^1];
                }
                var lower = i == 0 ? 0 : bounds[i - 1];
                return lower + ((bounds[i] - lower) * (rank - before) / counts[i]);
            }
            before += counts[i];
        }
        return bounds[^1];
    }
}
