namespace TaskGrid.Observability;

/// <summary>A metric and its samples, as one <c># HELP</c> / <c># TYPE</c> block of the Prometheus text format.</summary>
/// <param name="Name">The family name, for example <c>taskgrid_tasks_completed_total</c> or <c>taskgrid_task_run_duration_seconds</c>.</param>
/// <param name="Type">Counter, gauge or histogram.</param>
/// <param name="Help">What it measures, in one line.</param>
/// <param name="Samples">Its samples, one per label set (several per label set for a histogram).</param>
public sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<MetricSample> Samples);
