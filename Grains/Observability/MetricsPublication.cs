using TaskGrid.Observability;

namespace TaskGrid.Grains.Observability;

/// <summary>What a silo writes on each publish.</summary>
/// <param name="Totals">Its TaskGrid counters and histograms, cumulative since this incarnation joined.</param>
/// <param name="Interval">What happened since its previous publish.</param>
public sealed record MetricsPublication(IReadOnlyList<MetricFamily> Totals, MetricsInterval Interval);

/// <summary>One publish interval of one silo: deltas, and gauges read at its end.</summary>
/// <param name="Length">The interval's length.</param>
/// <param name="Claimed">Tasks claimed.</param>
/// <param name="Completed">Tasks completed.</param>
/// <param name="Failed">Attempts failed.</param>
/// <param name="InFlight">Tasks running at the end.</param>
/// <param name="ClaimLatency">Claim latencies per bucket of <see cref="Diagnostics.MetricsBuckets.Seconds"/> (+Inf last).</param>
/// <param name="RunDuration">Attempt durations per bucket.</param>
/// <param name="CpuSeconds">CPU seconds the process used.</param>
/// <param name="WorkingSetBytes">The process's working set at the end.</param>
/// <param name="GcHeapBytes">Bytes allocated on the managed heap at the end.</param>
/// <param name="GcCollections">Garbage collections (all generations).</param>
public sealed record MetricsInterval(
    TimeSpan Length,
    long Claimed,
    long Completed,
    long Failed,
    int InFlight,
    IReadOnlyList<long> ClaimLatency,
    IReadOnlyList<long> RunDuration,
    double CpuSeconds,
    long WorkingSetBytes,
    long GcHeapBytes,
    long GcCollections);
