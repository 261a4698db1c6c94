using System.Globalization;
using System.Text;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// <c>./taskgrid bench --sweep</c>: the drain at a small N over a set of configurations, to find
/// the throughput configuration empirically. Prints a table (best first) and writes it to
/// <c>bench/results/sweep-&lt;stamp&gt;.md</c>; the winner goes into
/// <see cref="EngineConfig.Throughput"/> or <c>TASKGRID_BENCH_THROUGHPUT</c>.
/// </summary>
internal sealed class SweepWorkload(BenchContext context)
{
    /// <summary>One knob at a time around a large-batch base, plus the default for reference.</summary>
    public static IReadOnlyList<string> Candidates { get; } =
    [
        "silos=2,workers=2,concurrency=16,prefetch=10,ack=500",
        "silos=1,workers=2,concurrency=200,prefetch=100,ack=500",
        "silos=1,workers=2,concurrency=1000,prefetch=500,ack=1000",
        "silos=1,workers=2,concurrency=2000,prefetch=1000,ack=2000",
        "silos=1,workers=1,concurrency=2000,prefetch=1000,ack=2000",
        "silos=1,workers=1,concurrency=4000,prefetch=1000,ack=2000",
        "silos=1,workers=1,concurrency=8000,prefetch=2000,ack=4000",
        "silos=1,workers=4,concurrency=2000,prefetch=1000,ack=2000",
        "silos=1,workers=2,concurrency=4000,prefetch=2000,ack=4000",
        "silos=1,workers=2,concurrency=2000,prefetch=1000,ack=500",
        "silos=2,workers=1,concurrency=2000,prefetch=1000,ack=2000",
        "silos=2,workers=2,concurrency=1000,prefetch=500,ack=1000",
    ];

    public async Task<string> RunAsync(string stamp, CancellationToken cancellationToken)
    {
        var n = context.Sizes.SweepTasks;
        var results = new List<(EngineConfig Config, List<DrainRun> Runs)>();
        foreach (var spec in Candidates)
        {
            var config = EngineConfig.Parse(spec, spec, EngineConfig.Default);
            var runs = new List<DrainRun>();
            for (var run = 1; run <= context.Sizes.Runs; run++)
            {
                BenchContext.Say($"sweep: {n:N0} tasks, {config.Describe()}, run {run}/{context.Sizes.Runs}");
                await using var cluster = await BenchCluster.StartAsync(context, "sweep", cancellationToken);
                var (grid, _) = await TaskBatches.QueueAsync(cluster.Client, "sweep", TaskBatches.Noops(n), cancellationToken);
                runs.Add(await DrainRun.MeasureAsync(cluster, config, grid, TimeSpan.FromMinutes(10), cancellationToken));
                BenchContext.Say($"sweep: {runs[^1].Rate:N0} tasks/s (steady {runs[^1].SteadyRate:N0}/s), silo peak {runs[^1].SiloPeakMiB:N0} MiB");
            }
            results.Add((config, runs));
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Throughput sweep {stamp}: drain of {n:N0} no-op tasks, median of {context.Sizes.Runs}");
        text.AppendLine();
        text.AppendLine("| configuration | jobs/s (first claim → last completion) | min–max | steady 10–90 % | claim → done p99 ms | silo RSS peak MiB | CPU µs per task: silo / PostgreSQL / others |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (config, runs) in results.OrderByDescending(r => Stats.Median(r.Runs.Select(x => (double?)x.Rate))))
        {
            var rates = runs.Select(r => r.Rate).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{config.Name}` | {Stats.Median(rates.Select(r => (double?)r)):N0} | {rates.Min():N0}–{rates.Max():N0} | {Stats.Median(runs.Select(r => (double?)r.SteadyRate)):N0} | {Stats.Median(runs.Select(r => (double?)r.RunMs[2])):N1} | {Stats.Median(runs.Select(r => r.SiloPeakMiB)):N0} | {Stats.Median(runs.Select(r => (double?)r.CpuPerTaskUs.Silo)):N0} / {Stats.Median(runs.Select(r => (double?)r.CpuPerTaskUs.Postgres)):N0} / {Stats.Median(runs.Select(r => (double?)r.CpuPerTaskUs.Other)):N0} |");
        }
        return text.ToString();
    }
}
