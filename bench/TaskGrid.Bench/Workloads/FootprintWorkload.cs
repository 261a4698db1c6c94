using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 6, footprint: resident memory (VmRSS from <c>/proc/&lt;pid&gt;/status</c>) of silos
/// and gateways. The other workloads record it as they go (at rest after warm-up in pickup, peaks
/// under load in drain, steady and codegen). When they did not run, this measures it alone: the
/// default configuration idle after a warm-up, then under a drain of the drain size.
/// </summary>
internal sealed class FootprintWorkload(BenchContext context)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        if (!context.Footprint.HasSiloAtRest || !context.Footprint.HasSiloUnderLoad)
        {
            await MeasureAsync(EngineConfig.Default, cancellationToken);
        }
        return context.Footprint.Rows();
    }

    private async Task MeasureAsync(EngineConfig config, CancellationToken cancellationToken)
    {
        BenchContext.Say($"footprint: {config.Name} cluster at rest, then draining {context.Sizes.DrainTasks:N0} tasks");
        await using var cluster = await BenchCluster.StartAsync(context, "footprint", cancellationToken);
        cluster.StartSilos(config);
        await cluster.WaitForWorkersAsync(config, TimeSpan.FromMinutes(1), cancellationToken);
        var (warmUp, _) = await TaskBatches.QueueAsync(cluster.Client, "warm-up", TaskBatches.Noops(500), cancellationToken);
        await GridWaiter.WaitDoneAsync(cluster, warmUp, TimeSpan.FromMinutes(1), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        foreach (var (role, pid) in cluster.Processes())
        {
            context.Footprint.Record(role, "at rest", $"idle after warm-up, {config.Name} config", ProcStatus.ReadRssKiB(pid) / 1024.0);
        }
        await using var watch = new RssWatch(cluster.Processes);
        var (grid, _) = await TaskBatches.QueueAsync(cluster.Client, "footprint", TaskBatches.Noops(context.Sizes.DrainTasks), cancellationToken);
        await GridWaiter.WaitDoneAsync(cluster, grid, TimeSpan.FromMinutes(10), cancellationToken);
        var peaks = await watch.StopAsync();
        context.Footprint.Record("silo", "under load", $"enqueue while draining, {config.Name} config", RssWatch.Peak(peaks, "silo"));
        context.Footprint.Record("gateway", "under load", "bulk enqueue while silos drain", RssWatch.Peak(peaks, "gateway"));
    }
}
