using TaskGrid.Observability;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>What one instrument has recorded in this process, under its Prometheus name.</summary>
/// <param name="Name">The Prometheus family name (<c>taskgrid_tasks_completed_total</c>).</param>
/// <param name="Type">Counter, gauge or histogram.</param>
/// <param name="Help">The instrument's description.</param>
/// <param name="Series">One entry per label set.</param>
public sealed record InstrumentReading(string Name, MetricType Type, string Help, IReadOnlyList<SeriesReading> Series);

/// <summary>One label set of an instrument.</summary>
/// <param name="Labels">The label set as written between braces (<c>kind="noop"</c>).</param>
/// <param name="Value">The counter's or gauge's value; a histogram's sum.</param>
/// <param name="Buckets">A histogram's non-cumulative counts per bucket of <see cref="MetricsBuckets.Seconds"/>, +Inf last; null otherwise.</param>
/// <param name="Count">A histogram's observation count.</param>
public sealed record SeriesReading(string Labels, double Value, IReadOnlyList<long>? Buckets = null, long Count = 0);
