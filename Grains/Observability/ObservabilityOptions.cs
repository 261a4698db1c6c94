namespace TaskGrid.Grains.Observability;

/// <summary>How silos publish metrics and how long the dashboard's history is kept. Section <c>TaskGrid:Observability</c>.</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Observability";

    /// <summary>How often each silo writes its instrument totals and a history sample to PostgreSQL. Default: 5 seconds.</summary>
    public TimeSpan MetricsPublishInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long history samples are kept; the dashboard's charts show at most this much. Default: 15 minutes.</summary>
    public TimeSpan MetricsHistory { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the recent-failures feed keeps a failure (the task itself is kept regardless). Default: 7 days.</summary>
    public TimeSpan FailureHistory { get; set; } = TimeSpan.FromDays(7);
}
