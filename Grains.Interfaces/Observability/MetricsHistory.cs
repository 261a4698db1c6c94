namespace TaskGrid.Observability;

/// <summary>Cluster-wide time series over the last minutes, for the dashboard's charts.</summary>
/// <param name="From">Start of the first step.</param>
/// <param name="To">End of the last step (the database's now).</param>
/// <param name="StepSeconds">Length of one step.</param>
/// <param name="Points">One point per step that has samples, oldest first; steps without any silo sample are left out.</param>
public sealed record MetricsHistory(DateTimeOffset From, DateTimeOffset To, double StepSeconds, IReadOnlyList<MetricsPoint> Points);
