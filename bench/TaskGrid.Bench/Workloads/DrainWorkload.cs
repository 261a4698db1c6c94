using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 1, drain: N no-op tasks are bulk-inserted through the API (10,000 per call) while no
/// silo runs; then the configuration's silos start and the clock runs until every task has
/// completed. Each run gets a fresh database. Start-up (process spawn → first claim) is reported
/// apart from the drain itself (first claim → last completion), which is the rate compared with
/// the peers (whose own start is likewise excluded).
/// </summary>
internal sealed class DrainWorkload(BenchContext context)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = context.Configs.ToDictionary(c => c.Name, _ => new List<(DrainRun Drain, double EnqueueRate)>());
        for (var run = 1; run <= context.Sizes.Runs; run++)
        {
            foreach (var config in context.Configs)
            {
                BenchContext.Say($"drain: {context.Sizes.DrainTasks:N0} tasks, {config.Name} ({config.Describe()}), run {run}/{context.Sizes.Runs}");
                var result = await RunOnceAsync(config, run, cancellationToken);
                var (silo, postgres, other) = result.Drain.CpuPerTaskUs;
                BenchContext.Say($"drain: {result.Drain.Rate:N0} tasks/s (start-up {result.Drain.StartupMs:N0} ms, with it {result.Drain.WallRate:N0}/s); enqueue {result.EnqueueRate:N0}/s; CPU per task: silo {silo:N0} µs, PostgreSQL {postgres:N0} µs, others {other:N0} µs");
                runs[config.Name].Add(result);
            }
        }
        return [.. context.Configs.Select(c => Row(c, runs[c.Name]))];
    }

    private async Task<(DrainRun Drain, double EnqueueRate)> RunOnceAsync(EngineConfig config, int run, CancellationToken cancellationToken)
    {
        var n = context.Sizes.DrainTasks;
        await using var cluster = await BenchCluster.StartAsync(context, $"drain_{config.Name}_{run}", cancellationToken);
        context.Footprint.Record("gateway", "at rest", "started, before any request", ProcStatus.ReadRssKiB(cluster.Gateway.Pid) / 1024.0);

        await using var enqueueWatch = new RssWatch(cluster.Processes);
        var (grid, enqueue) = await TaskBatches.QueueAsync(cluster.Client, "drain", TaskBatches.Noops(n), cancellationToken);
        var gatewayPeaks = await enqueueWatch.StopAsync();
        context.Footprint.Record("gateway", "under load", "bulk enqueue, 10,000 tasks per call", RssWatch.Peak(gatewayPeaks, "gateway"));

        var drain = await DrainRun.MeasureAsync(cluster, config, grid, TimeSpan.FromMinutes(10), cancellationToken);
        context.Footprint.Record("silo", "under load", $"drain, {config.Name} config", drain.SiloPeakMiB);
        return (drain, n / enqueue.TotalSeconds);
    }

    private ResultRow Row(EngineConfig config, List<(DrainRun Drain, double EnqueueRate)> runs)
    {
        var rates = runs.Select(r => r.Drain.Rate).ToList();
        return new ResultRow
        {
            System = SystemNames.TaskGrid,
            Workload = WorkloadNames.Drain,
            Setting = config.Name,
            JobsPerS = Stats.Round(Stats.Median(rates.Select(r => (double?)r)), 0),
            P50Ms = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.RunMs[0])), 2),
            P95Ms = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.RunMs[1])), 2),
            P99Ms = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.RunMs[2])), 2),
            Extra = new()
            {
                ["n"] = context.Sizes.DrainTasks,
                ["runs"] = runs.Count,
                ["config"] = config.Spec,
                ["jobs_per_s_min"] = Stats.Round(rates.Min(), 0),
                ["jobs_per_s_max"] = Stats.Round(rates.Max(), 0),
                ["wall_jobs_per_s"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.WallRate)), 0),
                ["steady_jobs_per_s"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.SteadyRate)), 0),
                ["startup_ms"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.StartupMs)), 0),
                ["enqueue_bulk_per_s"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.EnqueueRate)), 0),
                ["cpu_us_per_task_silo"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.CpuPerTaskUs.Silo)), 1),
                ["cpu_us_per_task_postgres"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.CpuPerTaskUs.Postgres)), 1),
                ["cpu_us_per_task_other"] = Stats.Round(Stats.Median(runs.Select(r => (double?)r.Drain.CpuPerTaskUs.Other)), 1),
                ["measured"] = "jobs_per_s: N / (first claim -> last completion), database clock; wall: silo spawn -> all seen completed; latency: claim -> completion per task",
            },
        };
    }
}
