using System.Diagnostics;
using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 2, steady: with the silos running and idle, no-op tasks are offered over HTTP at a
/// fixed rate, in bulk calls every 100 ms (rate ÷ 10 tasks each, calls not waiting on each
/// other), for a fixed time. Latency is submission → completion per task (database clock);
/// the achieved rate is completions ÷ (first submission → last completion).
/// </summary>
internal sealed class SteadyWorkload(BenchContext context)
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(100);

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        foreach (var config in context.Configs)
        {
            await using var cluster = await BenchCluster.StartAsync(context, $"steady_{config.Name}", cancellationToken);
            cluster.StartSilos(config);
            await cluster.WaitForWorkersAsync(config, TimeSpan.FromMinutes(1), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            foreach (var rate in context.Sizes.SteadyRates)
            {
                BenchContext.Say($"steady: {rate:N0} tasks/s for {context.Sizes.SteadyDuration.TotalSeconds:0} s, {config.Name}");
                rows.Add(await RunRateAsync(cluster, config, rate, cancellationToken));
                var row = rows[^1];
                BenchContext.Say($"steady: achieved {row.JobsPerS:N0}/s, submit→complete p50 {row.P50Ms} ms, p99 {row.P99Ms} ms");
            }
        }
        return rows;
    }

    private async Task<ResultRow> RunRateAsync(BenchCluster cluster, EngineConfig config, int rate, CancellationToken cancellationToken)
    {
        var grid = (await cluster.Client.CreateGridAsync(new CreateGridRequest { Name = string.Create(CultureInfo.InvariantCulture, $"steady-{rate}") }, cancellationToken)).Id;
        await using var watch = new RssWatch(cluster.Processes);
        var calls = await OfferAsync(cluster.Client, grid, rate, context.Sizes.SteadyDuration, cancellationToken);
        await GridWaiter.WaitDoneAsync(cluster, grid, TimeSpan.FromMinutes(5), cancellationToken);
        var peaks = await watch.StopAsync();
        context.Footprint.Record("silo", "under load", $"steady {rate}/s, {config.Name} config", RssWatch.Peak(peaks, "silo"));
        context.Footprint.Record("gateway", "under load", $"steady {rate}/s over HTTP", RssWatch.Peak(peaks, "gateway"));

        var timings = await GridTimings.ReadAsync(cluster.Data, grid, cancellationToken);
        var (callP50, _, callP99) = Stats.Percentiles(calls);
        var achieved = timings.Completed / Math.Max((timings.LastCompleted - timings.FirstCreated).TotalSeconds, 1e-6);
        var tail = timings.LastCompleted - timings.LastCreated;
        return new ResultRow
        {
            System = SystemNames.TaskGrid,
            Workload = WorkloadNames.Steady,
            Setting = string.Create(CultureInfo.InvariantCulture, $"{config.Name}, {rate}/s offered"),
            JobsPerS = Stats.Round(achieved, 0),
            P50Ms = Stats.Round(timings.EndToEndMs[0], 2),
            P95Ms = Stats.Round(timings.EndToEndMs[1], 2),
            P99Ms = Stats.Round(timings.EndToEndMs[2], 2),
            Extra = new()
            {
                ["config"] = config.Spec,
                ["offered_per_s"] = rate,
                ["offered_s"] = context.Sizes.SteadyDuration.TotalSeconds,
                ["n"] = timings.Completed,
                ["batch_per_call"] = Math.Max(1, rate / 10),
                ["pickup_p50_ms"] = Stats.Round(timings.PickupMs[0], 2),
                ["pickup_p99_ms"] = Stats.Round(timings.PickupMs[2], 2),
                ["http_call_p50_ms"] = Stats.Round(callP50, 2),
                ["http_call_p99_ms"] = Stats.Round(callP99, 2),
                ["tail_ms"] = Stats.Round(tail.TotalMilliseconds, 1),
                // Kept up: the backlog at the end drained within a second and the rate held.
                ["kept_up"] = tail < TimeSpan.FromSeconds(1) && achieved >= 0.95 * rate,
                ["measured"] = "latency: submission (insert) -> completion per task, database clock; jobs_per_s: completed / (first submission -> last completion)",
            },
        };
    }

    /// <summary>Sends rate ÷ 10 tasks every 100 ms for <paramref name="duration"/>; returns each call's duration in ms.</summary>
    private static async Task<List<double>> OfferAsync(TaskGridClient client, Guid grid, int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var batch = TaskBatches.Noops(Math.Max(1, rate / 10));
        var ticks = (int)(duration / s_tick);
        var calls = new List<Task<double>>(ticks);
        var clock = Stopwatch.StartNew();
        for (var tick = 0; tick < ticks; tick++)
        {
            var wait = s_tick * tick - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            calls.Add(CallAsync(client, grid, batch, cancellationToken));
        }
        return [.. await Task.WhenAll(calls)];
    }

    private static async Task<double> CallAsync(TaskGridClient client, Guid grid, IReadOnlyList<SubmitTaskRequest> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await client.AddGridTasksAsync(grid, batch, cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
