using System.Diagnostics;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 3, pickup on an idle cluster: after a warm-up grid and two idle seconds, single
/// no-op tasks are submitted one at a time (<c>POST /v1/tasks</c>), 20 ms apart as in the peer
/// harness. Reported: submission → claim per task from the database clock (the row's
/// <c>created_at</c> → <c>started_at</c>), and, as a second figure, from just before the HTTP
/// call on the driver's clock to the claim (same host, same clock), which adds the HTTP round
/// trip and the gateway, as the peers' "enqueue call → handler start" includes their insert.
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
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        foreach (var (role, pid) in cluster.Processes())
        {
            context.Footprint.Record(role, "at rest", $"idle after warm-up, {config.Name} config", ProcStatus.ReadRssKiB(pid) / 1024.0);
        }

        var n = context.Sizes.PickupTasks;
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
        await WaitStartedAsync(cluster, ids, cancellationToken);

        var database = new List<double>(n);
        var client = new List<double>(n);
        await using (var command = cluster.Data.CreateCommand(BenchQueries.TaskStarts))
        {
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
                database.Add((started - reader.GetFieldValue<DateTimeOffset>(1)).TotalMilliseconds);
                client.Add((started - sentAt[reader.GetGuid(0)]).TotalMilliseconds);
            }
        }
        var (p50, p95, p99) = Stats.Percentiles(database);
        var (c50, c95, c99) = Stats.Percentiles(client);
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
                ["lost"] = n - database.Count,
                ["max_ms"] = Stats.Round(database.DefaultIfEmpty(double.NaN).Max(), 2),
                ["client_p50_ms"] = Stats.Round(c50, 2),
                ["client_p95_ms"] = Stats.Round(c95, 2),
                ["client_p99_ms"] = Stats.Round(c99, 2),
                ["measured"] = "p50..p99: created_at -> started_at (database clock); client_*: before the POST /v1/tasks call -> started_at (same host clock)",
            },
        };
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
