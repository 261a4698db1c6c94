using System.Text.Json;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// One drain as the <c>drain</c> command records it, one JSON line each, for <c>run</c> to report:
/// the measurement, the bulk enqueue rate before it, the resident memory seen around it, and when
/// it finished (so that the report can show the order the rounds' drains ran in).
/// </summary>
internal sealed record DrainRecord(
    string Config, int Run, DrainRun Drain, double EnqueueRate, double? GatewayAtRestMiB, double? GatewayEnqueuePeakMiB,
    DateTimeOffset? FinishedAt = null)
{
    // The results' naming, one record per line.
    private static readonly JsonSerializerOptions s_json = new(ReportWriter.Json) { WriteIndented = false };

    public static void Append(string path, DrainRecord record) =>
        File.AppendAllText(path, JsonSerializer.Serialize(record, s_json) + "\n");

    /// <summary>The records in <paramref name="path"/>, in the order they were run; none when it does not exist.</summary>
    public static IReadOnlyList<DrainRecord> Read(string path) => File.Exists(path)
        ? [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line => JsonSerializer.Deserialize<DrainRecord>(line, s_json)!)]
        : [];
}
