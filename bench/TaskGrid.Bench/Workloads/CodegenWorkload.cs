using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;
using TaskGrid.Testing;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 4, codegen concurrency: codegen tasks run the real executor (the official OpenAI
/// client) against the test suite's fake OpenAI-compatible server on loopback, which answers
/// every request after 500 ms. For each concurrency C, one silo with one worker of Concurrency C
/// (and the default Prefetch of 10) drains a warm-up grid of C tasks (connections, JIT) and then
/// C × rounds tasks, all queued before it starts; the second grid is timed, first claim → last
/// completion. With no ceiling in the engine, throughput is C ÷ 0.5 s; the row gives the measured
/// rate, that ideal and their ratio.
/// </summary>
internal sealed class CodegenWorkload(BenchContext context)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var latency = context.Sizes.CodegenLatency;
        await using var server = await FakeOpenAiServer.StartAsync(latency);
        await using var cluster = await BenchCluster.StartAsync(context, "codegen", cancellationToken);
        var endpoint = new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = server.BaseUrl,
            ["OPENAI_API_KEY"] = "bench-not-a-secret",
        };
        var rows = new List<ResultRow>();
        foreach (var concurrency in context.Sizes.CodegenConcurrency)
        {
            var n = concurrency * context.Sizes.CodegenRounds;
            var config = new EngineConfig(string.Create(CultureInfo.InvariantCulture, $"codegen-c{concurrency}"), Silos: 1, Workers: 1, Concurrency: concurrency, Prefetch: EngineConfig.Default.Prefetch, AckBatchSize: EngineConfig.Default.AckBatchSize);
            BenchContext.Say($"codegen: {n} tasks at concurrency {concurrency} against a {latency.TotalMilliseconds:0} ms endpoint");
            var (warmUp, _) = await TaskBatches.QueueAsync(cluster.Client, config.Name + "-warm-up", TaskBatches.Codegen(concurrency), cancellationToken);
            var (grid, _) = await TaskBatches.QueueAsync(cluster.Client, config.Name, TaskBatches.Codegen(n), cancellationToken);
            var callsBefore = server.Calls;

            await using var watch = new RssWatch(cluster.Processes);
            cluster.StartSilos(config, endpoint);
            await GridWaiter.WaitDoneAsync(cluster, warmUp, TimeSpan.FromMinutes(2), cancellationToken);
            await GridWaiter.WaitDoneAsync(cluster, grid, TimeSpan.FromMinutes(2) + latency * context.Sizes.CodegenRounds * 4, cancellationToken);
            var peaks = await watch.StopAsync();
            context.Footprint.Record("silo", "under load", string.Create(CultureInfo.InvariantCulture, $"codegen, {concurrency} requests in flight"), RssWatch.Peak(peaks, "silo"));
            await cluster.StopSilosAsync();

            var timings = await GridTimings.ReadAsync(cluster.Data, grid, cancellationToken);
            var ideal = concurrency / latency.TotalSeconds;
            rows.Add(new ResultRow
            {
                System = SystemNames.TaskGrid,
                Workload = WorkloadNames.Codegen,
                Setting = string.Create(CultureInfo.InvariantCulture, $"concurrency {concurrency}"),
                JobsPerS = Stats.Round(timings.DrainRate, 1),
                P50Ms = Stats.Round(timings.RunMs[0], 1),
                P95Ms = Stats.Round(timings.RunMs[1], 1),
                P99Ms = Stats.Round(timings.RunMs[2], 1),
                Extra = new()
                {
                    ["config"] = config.Spec,
                    ["concurrency"] = concurrency,
                    ["n"] = n,
                    ["endpoint_latency_ms"] = latency.TotalMilliseconds,
                    ["ideal_jobs_per_s"] = Stats.Round(ideal, 1),
                    ["efficiency"] = Stats.Round(timings.DrainRate / ideal, 3),
                    ["steady_jobs_per_s"] = Stats.Round(timings.SteadyRate, 1),
                    ["endpoint_calls"] = server.Calls - callsBefore - concurrency,
                    ["warm_up_tasks"] = concurrency,
                    ["measured"] = "jobs_per_s: n / (first claim -> last completion); ideal: concurrency / endpoint latency; latency: claim -> completion per task",
                },
            });
            BenchContext.Say($"codegen: {timings.DrainRate:N1} tasks/s of an ideal {ideal:N0} ({timings.DrainRate / ideal:P0}); attempt p50 {timings.RunMs[0]:N0} ms");
        }
        return rows;
    }
}
