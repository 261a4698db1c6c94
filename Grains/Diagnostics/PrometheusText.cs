using TaskGrid.Observability;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// Writes metric families in the Prometheus text exposition format, version 0.0.4: a
/// <c># HELP</c> and <c># TYPE</c> line per family, then one line per sample.
/// </summary>
public static class PrometheusText
{
    /// <summary>The format's media type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Turns instrument readings into families; histograms get their cumulative <c>_bucket</c>, <c>_sum</c> and <c>_count</c> samples.</summary>
    public static IReadOnlyList<MetricFamily> ToFamilies(IEnumerable<InstrumentReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var families = new List<MetricFamily>();
        foreach (var reading in readings)
        {
            var samples = new List<MetricSample>();
            foreach (var series in reading.Series)
            {
                if (reading.Type != MetricType.Histogram || series.Buckets is null)
                {
                    samples.Add(new MetricSample(reading.Name, series.Labels, series.Value));
                    continue;
                }
                long cumulative = 0;
                for (var i = 0; i < series.Buckets.Count; i++)
                {
                    cumulative += series.Buckets[i];
                    var bound = i < MetricsBuckets.Seconds.Count ? PrometheusNames.Value(MetricsBuckets.Seconds[i]) : "+Inf";
                    samples.Add(new MetricSample(reading.Name + "_bucket", PrometheusNames.With(series.Labels, "le", bound), cumulative));
                }
                samples.Add(new MetricSample(reading.Name + "_sum", series.Labels, series.Value));
                samples.Add(new MetricSample(reading.Name + "_count", series.Labels, series.Count));
            }
            families.Add(new MetricFamily(reading.Name, reading.Type, reading.Help, samples));
        }
        return families;
    }

    /// <summary>Writes <paramref name="families"/>; a family name seen twice is written once, with the samples of both.</summary>
    public static async Task WriteAsync(TextWriter writer, IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        foreach (var group in families.GroupBy(f => f.Name, StringComparer.Ordinal))
        {
            var first = group.First();
            await writer.WriteAsync($"# HELP {first.Name} {EscapeHelp(first.Help)}\n");
            await writer.WriteAsync($"# TYPE {first.Name} {TypeName(first.Type)}\n");
            foreach (var sample in group.SelectMany(f => f.Samples))
            {
                await writer.WriteAsync(sample.Labels.Length == 0
                    ? $"{sample.Name} {PrometheusNames.Value(sample.Value)}\n"
                    : $"{sample.Name}{{{sample.Labels}}} {PrometheusNames.Value(sample.Value)}\n");
            }
        }
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Histogram => "histogram",
        _ => "gauge",
    };

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
