namespace TaskGrid.Observability;

/// <summary>One line of a metric family in the Prometheus text format.</summary>
/// <param name="Name">The sample's name, with its suffix for histograms (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</param>
/// <param name="Labels">The label set as written between braces, already escaped (<c>kind="noop",le="0.5"</c>); empty for none.</param>
/// <param name="Value">The value.</param>
public sealed record MetricSample(string Name, string Labels, double Value);
