namespace TaskGrid.Observability;

/// <summary>The Prometheus type of a metric family.</summary>
public enum MetricType
{
    /// <summary>A value that only goes up (it restarts from zero with its process).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted in cumulative buckets, with their sum and count.</summary>
    Histogram,
}
