using System.Diagnostics;
using TaskGrid.Observability;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// The standard Prometheus process metrics (<c>process_cpu_seconds_total</c>,
/// <c>process_resident_memory_bytes</c>, <c>process_start_time_seconds</c>) and the GC figures a
/// silo publishes for the dashboard, read from this process.
/// </summary>
public static class ProcessMetrics
{
    private static readonly DateTimeOffset s_started = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>This process's CPU seconds (user and system) since it started.</summary>
    public static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Garbage collections of every generation since the process started.</summary>
    public static long GcCollections()
    {
        long total = 0;
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            total += GC.CollectionCount(generation);
        }
        return total;
    }

    /// <summary>The three standard families.</summary>
    public static IReadOnlyList<MetricFamily> Standard() =>
    [
        new("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.",
            [new MetricSample("process_cpu_seconds_total", "", CpuSeconds())]),
        new("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.",
            [new MetricSample("process_resident_memory_bytes", "", Environment.WorkingSet)]),
        new("process_start_time_seconds", MetricType.Gauge, "Start time of the process since the Unix epoch in seconds.",
            [new MetricSample("process_start_time_seconds", "", s_started.ToUnixTimeMilliseconds() / 1000.0)]),
    ];
}
