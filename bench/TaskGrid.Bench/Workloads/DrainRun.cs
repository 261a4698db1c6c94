using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// One drain: tasks already queued in a grid, silos started, timed until every task completed.
/// <list type="bullet">
/// <item><see cref="Rate"/>: tasks ÷ (first claim → last completion), both database timestamps.</item>
/// <item><see cref="WallRate"/>: tasks ÷ (silo processes spawned → the driver saw the grid finished), start-up included.</item>
/// <item><see cref="StartupMs"/>: silo processes spawned → first claim.</item>
/// <item><see cref="SteadyRate"/>: the rate between the 10th and 90th percentile completion.</item>
/// <item><see cref="RunMs"/>: per task, claim → completion (time in flight, including the batched acknowledgement).</item>
/// <item><see cref="Cpu"/>: CPU seconds of the silos, of PostgreSQL and of the whole machine from the first claim seen to the end.</item>
/// </list>
/// </summary>
internal sealed record DrainRun(int Tasks, double Rate, double WallRate, double StartupMs, double SteadyRate, double[] RunMs, double? SiloPeakMiB, CpuUse Cpu)
{
    /// <summary>CPU microseconds per task: silos, PostgreSQL, and everything else on the machine.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (double Silo, double Postgres, double Other) CpuPerTaskUs => (
        Cpu.Silos * 1e6 / Tasks,
        Cpu.Postgres * 1e6 / Tasks,
        Math.Max(0, Cpu.Machine - Cpu.Silos - Cpu.Postgres) * 1e6 / Tasks);

    /// <summary>Starts <paramref name="config"/>'s silos on a cluster whose grid is queued, and times the drain.</summary>
    public static async Task<DrainRun> MeasureAsync(BenchCluster cluster, EngineConfig config, Guid grid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var watch = new RssWatch(cluster.Processes);
        var spawned = cluster.StartSilos(config);
        await GridWaiter.WaitStartedAsync(cluster, grid, TimeSpan.FromMinutes(2), cancellationToken);
        var siloPids = cluster.Processes().Where(p => p.Role == "silo").Select(p => p.Pid).ToList();
        var cpu = await CpuMeter.StartAsync(cluster.Admin, siloPids, cancellationToken);
        var seen = await GridWaiter.WaitDoneAsync(cluster, grid, timeout, cancellationToken);
        var used = await cpu.StopAsync(siloPids, cancellationToken);
        var peaks = await watch.StopAsync();
        var timings = await GridTimings.ReadAsync(cluster.Data, grid, cancellationToken);
        await cluster.StopSilosAsync();
        return new DrainRun(
            timings.Completed,
            timings.DrainRate,
            timings.Completed / Math.Max((seen - spawned).TotalSeconds, 1e-6),
            (timings.FirstStarted - spawned).TotalMilliseconds,
            timings.SteadyRate,
            timings.RunMs,
            RssWatch.Peak(peaks, "silo"),
            used);
    }
}
