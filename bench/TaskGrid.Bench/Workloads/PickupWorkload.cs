using System.Diagnostics;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 3, pickup on an idle cluster: single no-op tasks submitted one at a time
/// (<c>POST /v1/tasks</c>), 20 ms apart as in the peer harness. Reported: submission → claim per
/// task from the database clock (the row's <c>created_at</c> → <c>started_at</c>), and from just
/// before the HTTP call on the driver's clock (same host), which adds the HTTP round trip and the
/// gateway, as the peers' "enqueue call → handler start" includes their insert.
/// <para>
/// The measured tasks follow a warm-up grid, as many single submissions as are measured, and two
/// idle seconds: the peers' probe runs after their own 1,000 single enqueues, and the first single
/// submissions after a gateway and silo start pay one-time costs (methods ReadyToRun left to the
/// JIT, PostgreSQL planning each function once per pooled connection). Those first ones are
/// reported on their own (<c>first_p50_ms</c>, <c>first_p99_ms</c>).
/// </para>
/// </summary>
internal sealed class PickupWorkload(BenchContext context)
{
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        foreach (var config in context.Configs)
        {
            BenchContext.Say($"pickup: {context.Sizes.PickupTasks} tasks one at a time, {context.Sizes.PickupGap.TotalMilliseconds:0} ms apart, {config.Name}");
            rows.Add(await RunOnceAsync(config, cancellationToken));
            BenchContext.Say($"pickup: submit→claim p50 {rows[^1].P50Ms} ms, p99 {rows[^1].P99Ms} ms");
        }
        return rows;
    }

    private async Task<ResultRow> RunOnceAsync(EngineConfig config, CancellationToken cancellationToken)
    {
        await using var cluster = await BenchCluster.StartAsync(context, $"pickup_{config.Name}", cancellationToken);
        cluster.StartSilos(config);
        await cluster.WaitForWorkersAsync(config, TimeSpan.FromMinutes(1), cancellationToken);
        var (warmUp, _) = await TaskBatches.QueueAsync(cluster.Client, "warm-up", TaskBatches.Noops(500), cancellationToken);
        await GridWaiter.WaitDoneAsync(cluster, warmUp, TimeSpan.FromMinutes(1), cancellationToken);
        var n = context.Sizes.PickupTasks;
        var first = await MeasureAsync(cluster, n, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        foreach (var (role, pid) in cluster.Processes())
        {
            context.Footprint.Record(role, "at rest", $"idle after warm-up, {config.Name} config", ProcStatus.ReadRssKiB(pid) / 1024.0);
        }

        var warm = await MeasureAsync(cluster, n, cancellationToken);
        var (p50, p95, p99) = Stats.Percentiles(warm.Database);
        var (c50, c95, c99) = Stats.Percentiles(warm.Client);
        var (f50, _, f99) = Stats.Percentiles(first.Database);
        return new ResultRow
        {
            System = SystemNames.TaskGrid,
            Workload = WorkloadNames.Pickup,
            Setting = config.Name,
            P50Ms = Stats.Round(p50, 2),
            P95Ms = Stats.Round(p95, 2),
            P99Ms = Stats.Round(p99, 2),
            Extra = new()
            {
                ["config"] = config.Spec,
                ["n"] = n,
                ["gap_ms"] = context.Sizes.PickupGap.TotalMilliseconds,
                ["lost"] = n - warm.Database.Count,
                ["max_ms"] = Stats.Round(warm.Database.DefaultIfEmpty(double.NaN).Max(), 2),
                ["client_p50_ms"] = Stats.Round(c50, 2),
                ["client_p95_ms"] = Stats.Round(c95, 2),
                ["client_p99_ms"] = Stats.Round(c99, 2),
                ["first_p50_ms"] = Stats.Round(f50, 2),
                ["first_p99_ms"] = Stats.Round(f99, 2),
                ["measured"] = "p50..p99: created_at -> started_at (database clock); client_*: before the POST /v1/tasks call -> started_at (same host clock); first_*: the same for the first single submissions after start (one-time costs included), which precede the measured ones",
            },
        };
    }

    private sealed record Pickups(List<double> Database, List<double> Client);

    /// <summary>
    /// Submits <paramref name="n"/> no-ops one at a time, a gap apart, waits until all started, and
    /// returns submission → claim per task: from <c>created_at</c> (database clock) and from before
    /// the HTTP call (driver clock).
    /// </summary>
    private async Task<Pickups> MeasureAsync(BenchCluster cluster, int n, CancellationToken cancellationToken)
    {
        var (sent, ids) = await SubmitOneAtATimeAsync(cluster, n, cancellationToken);
        await WaitStartedAsync(cluster, ids, cancellationToken);
        var pickups = new Pickups(new List<double>(n), new List<double>(n));
        await using var command = cluster.Data.CreateCommand(BenchQueries.TaskStarts);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sentAt = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => sent[p.i]);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(2))
            {
                continue;
            }
            var started = reader.GetFieldValue<DateTimeOffset>(2);
            pickups.Database.Add((started - reader.GetFieldValue<DateTimeOffset>(1)).TotalMilliseconds);
            pickups.Client.Add((started - sentAt[reader.GetGuid(0)]).TotalMilliseconds);
        }
        return pickups;
    }

    /// <summary>Submits <paramref name="n"/> no-ops one at a time, a gap apart; when each call was made, and the ids.</summary>
    private async Task<(DateTimeOffset[] Sent, Guid[] Ids)> SubmitOneAtATimeAsync(BenchCluster cluster, int n, CancellationToken cancellationToken)
    {
        var sent = new DateTimeOffset[n];
        var ids = new Guid[n];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            var wait = context.Sizes.PickupGap * i - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            sent[i] = DateTimeOffset.UtcNow;
            ids[i] = (await cluster.Client.SubmitTaskAsync(TaskBatches.Noop, cancellationToken)).Id;
        }
        return (sent, ids);
    }

    private static async Task WaitStartedAsync(BenchCluster cluster, Guid[] ids, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            await using var command = cluster.Data.CreateCommand(BenchQueries.TasksUnfinished);
            command.Parameters.AddWithValue("ids", ids);
            if ((int)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
    }
}
