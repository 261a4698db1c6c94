namespace TaskGrid.Observability;

/// <summary>One step of <see cref="MetricsHistory"/>, summed over the silos that published in it.</summary>
/// <param name="At">Start of the step.</param>
/// <param name="CompletedPerSecond">Tasks completed successfully per second.</param>
/// <param name="FailedPerSecond">Attempts that failed per second (retried or not).</param>
/// <param name="ClaimedPerSecond">Tasks claimed per second.</param>
/// <param name="QueueDepth">Pending tasks, cluster-wide.</param>
/// <param name="InFlight">Tasks running on the silos that published.</param>
/// <param name="ClaimLatency">Seconds from due to claimed, by percentile; null when nothing was claimed.</param>
/// <param name="RunDuration">Seconds one attempt ran, by percentile; null when nothing finished.</param>
public sealed record MetricsPoint(
    DateTimeOffset At,
    double CompletedPerSecond,
    double FailedPerSecond,
    double ClaimedPerSecond,
    long QueueDepth,
    int InFlight,
    Percentiles? ClaimLatency,
    Percentiles? RunDuration);
