namespace TaskGrid.Observability;

/// <summary>Percentiles estimated from histogram buckets (linear within a bucket, as Prometheus' <c>histogram_quantile</c>).</summary>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
public sealed record Percentiles(double P50, double P95, double P99);
