using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 1, drain: N no-op tasks are bulk-inserted through the API (10,000 per call) while no
/// silo runs; then the configuration's silos start and the clock runs until every task has
/// completed. Each run gets a fresh database. Start-up (process spawn → first claim) is reported
/// apart from the drain itself (first claim → last completion), which is the rate compared with
/// the peers (whose own start is likewise excluded). With peers, scripts/bench.sh runs each
/// configuration's drain of a round between the peers' drains of that round (the <c>drain</c>
/// command, <see cref="RecordRoundAsync"/>; the throughput configuration back to back with
/// graphile-worker c24-batch) and this workload reports those rounds, so that a machine that slows down or
/// speeds up during the run weighs on both sides alike.
/// </summary>
internal sealed class DrainWorkload(BenchContext context)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        if (context.Arguments.DrainRuns is { } recorded)
        {
            var records = DrainRecord.Read(recorded);
            if (records.Count == 0)
            {
                throw new InvalidOperationException($"No drain rounds were recorded in {recorded}; see the drain rounds' output above.");
            }
            return Report(records, interleaved: true);
        }
        var runs = new List<DrainRecord>();
        for (var run = 1; run <= context.Sizes.Runs; run++)
        {
            await RoundAsync(run, runs.Add, cancellationToken);
        }
        return Report(runs, interleaved: false);
    }

    /// <summary>One round of every configuration (or of the one asked for), each drain appended to <paramref name="path"/> as it ends.</summary>
    public Task RecordRoundAsync(string path, int round, CancellationToken cancellationToken) =>
        RoundAsync(round, record => DrainRecord.Append(path, record), cancellationToken);

    private async Task RoundAsync(int run, Action<DrainRecord> done, CancellationToken cancellationToken)
    {
        foreach (var config in context.Configs.Where(c => context.Arguments.DrainConfig is not { } only || c.Name == only))
        {
            BenchContext.Say($"drain: {context.Sizes.DrainTasks:N0} tasks, {config.Name} ({config.Describe()}), run {run}");
            var record = await RunOnceAsync(config, run, cancellationToken);
            var (silo, postgres, other) = record.Drain.CpuPerTaskUs;
            BenchContext.Say($"drain: {record.Drain.Rate:N0} tasks/s (start-up {record.Drain.StartupMs:N0} ms, with it {record.Drain.WallRate:N0}/s); enqueue {record.EnqueueRate:N0}/s; CPU per task: silo {silo:N0} µs, PostgreSQL {postgres:N0} µs, others {other:N0} µs; silo peak {record.Drain.SiloPeakMiB:N0} MiB");
            done(record);
        }
    }

    private async Task<DrainRecord> RunOnceAsync(EngineConfig config, int run, CancellationToken cancellationToken)
    {
        var n = context.Sizes.DrainTasks;
        await using var cluster = await BenchCluster.StartAsync(context, $"drain_{config.Name}_{run}", cancellationToken);
        var gatewayAtRest = ProcStatus.ReadRssKiB(cluster.Gateway.Pid) / 1024.0;

        await using var enqueueWatch = new RssWatch(cluster.Processes);
        var (grid, enqueue) = await TaskBatches.QueueAsync(cluster.Client, "drain", TaskBatches.Noops(n), cancellationToken);
        var gatewayPeaks = await enqueueWatch.StopAsync();

        var drain = await DrainRun.MeasureAsync(cluster, config, grid, TimeSpan.FromMinutes(10), cancellationToken);
        return new DrainRecord(config.Name, run, drain, n / enqueue.TotalSeconds, gatewayAtRest, RssWatch.Peak(gatewayPeaks, "gateway"),
            DateTimeOffset.UtcNow);
    }

    private IReadOnlyList<ResultRow> Report(IReadOnlyList<DrainRecord> records, bool interleaved)
    {
        foreach (var record in records)
        {
            context.Footprint.Record("gateway", "at rest", "started, before any request", record.GatewayAtRestMiB);
            context.Footprint.Record("gateway", "under load", "bulk enqueue, 10,000 tasks per call", record.GatewayEnqueuePeakMiB);
            context.Footprint.Record("silo", "under load", $"drain, {record.Config} config", record.Drain.SiloPeakMiB);
        }
        return [.. context.Configs
            .Select(c => (Config: c, Runs: records.Where(r => r.Config == c.Name).OrderBy(r => r.Run).ToList()))
            .Where(c => c.Runs.Count > 0)
            .Select(c => Row(c.Config, c.Runs, interleaved))];
    }

    private ResultRow Row(EngineConfig config, List<DrainRecord> runs, bool interleaved)
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
                ["jobs_per_s_by_run"] = rates.Select(r => Stats.Round(r, 0)).ToList(),
                ["run_numbers"] = runs.Select(r => (double?)r.Run).ToList(),
                ["finished_at_by_run"] = runs.Select(r => r.FinishedAt?.ToString("O", CultureInfo.InvariantCulture)).ToList(),
                ["interleaved_with_peers"] = interleaved,
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
