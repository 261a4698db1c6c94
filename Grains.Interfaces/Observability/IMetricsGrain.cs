using TaskGrid.Access;

namespace TaskGrid.Observability;

/// <summary>
/// Cluster-wide metrics, read from what every silo publishes to PostgreSQL (nothing is shared
/// in memory between processes): counters and histograms summed over silos, each silo's
/// process statistics, and a short history for charts.
/// </summary>
public interface IMetricsGrain
{
    /// <summary>
    /// The cluster's metric families: task counts by kind and status, queue depth, silos and
    /// workers, and the counters and histograms the silos recorded, summed over every silo that
    /// ever published (a silo's totals survive its restart).
    /// </summary>
    Task<IReadOnlyList<MetricFamily>> GetClusterMetricsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The last <paramref name="window"/> in steps of <paramref name="step"/>: throughput,
    /// failures, queue depth and latency percentiles, summed over silos.
    /// </summary>
    Task<MetricsHistory> GetHistoryAsync(TimeSpan window, TimeSpan step, CancellationToken cancellationToken = default);

    /// <summary>
    /// The dashboard's headline numbers: task counts in the caller's scope (the cluster's for an
    /// admin, their own for a user), cluster-wide rates over the last minute, silos and workers.
    /// </summary>
    Task<DashboardSummary> GetSummaryAsync(Caller caller, CancellationToken cancellationToken = default);
}
