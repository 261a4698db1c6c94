using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Workload 5, scale: the claim rate with millions of finished tasks in the table against an
/// empty one. Two clusters run side by side, one on an empty database and one whose table was
/// loaded with finished tasks (<see cref="FinishedTaskFill"/>). Measured on both:
/// <list type="number">
/// <item>the claim statement at the default Prefetch of 10, driven directly (<see cref="ClaimLoop"/>),
/// in rounds that alternate between the two databases so that a slow spell of a shared machine
/// falls on both. First as loaded: the table was analyzed after the fill, before the backlog
/// arrived, as a big table's statistics usually are (autoanalyze waits for 5 % of its rows to
/// change); then again after <c>ANALYZE</c> with the backlog present, which shows how much of
/// any difference is the planner's picture rather than the table;</item>
/// <item>a drain by silos in the throughput configuration.</item>
/// </list>
/// </summary>
internal sealed class ScaleWorkload(BenchContext context)
{
    private const int Rounds = 5;
    private const int WarmUpTasks = 500;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var finished = context.Sizes.ScaleFinishedTasks;
        var filledLabel = string.Create(CultureInfo.InvariantCulture, $"{finished:N0} finished tasks");
        await using var empty = await BenchCluster.StartAsync(context, "scale_empty", cancellationToken);
        await using var filled = await BenchCluster.StartAsync(context, "scale_filled", cancellationToken);

        BenchContext.Say($"scale: writing {finished:N0} finished tasks");
        var user = (await filled.Client.GetCurrentUserAsync(cancellationToken)).Id;
        var fillTime = await FinishedTaskFill.FillAsync(filled.Data, user, finished, cancellationToken);
        await using (var vacuum = empty.Data.CreateCommand(BenchQueries.VacuumTasks))
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        var claims = await ClaimBothAsync(empty, filled, cancellationToken);
        BenchContext.Say($"scale: claim statement {claims.Empty.ClaimRate:N0} tasks/s empty, {claims.Filled.ClaimRate:N0} with {filledLabel}; after ANALYZE {claims.EmptyAnalyzed.ClaimRate:N0} and {claims.FilledAnalyzed.ClaimRate:N0}");

        var drains = new List<DrainRun>();
        foreach (var cluster in new[] { empty, filled })
        {
            var (grid, _) = await TaskBatches.QueueAsync(cluster.Client, "scale-drain", TaskBatches.Noops(context.Sizes.ScaleDrainTasks), cancellationToken);
            drains.Add(await DrainRun.MeasureAsync(cluster, context.Arguments.Throughput, grid, TimeSpan.FromMinutes(10), cancellationToken));
        }
        BenchContext.Say($"scale: drain {drains[0].Rate:N0} tasks/s empty, {drains[1].Rate:N0} with {filledLabel}");

        var emptySize = await TableSizeAsync(empty, cancellationToken);
        var filledSize = await TableSizeAsync(filled, cancellationToken);
        var shared = new Dictionary<string, object?> { ["fill_s"] = Stats.Round(fillTime.TotalSeconds, 1), ["finished_rows"] = finished };
        return
        [
            ClaimRow("claim statement, empty table", claims.Empty, emptySize, null, shared, analyzed: false),
            ClaimRow($"claim statement, {filledLabel}", claims.Filled, filledSize, claims.Empty.ClaimRate, shared, analyzed: false),
            ClaimRow("claim statement, empty table, after ANALYZE", claims.EmptyAnalyzed, emptySize, null, shared, analyzed: true),
            ClaimRow($"claim statement, {filledLabel}, after ANALYZE", claims.FilledAnalyzed, filledSize, claims.EmptyAnalyzed.ClaimRate, shared, analyzed: true),
            DrainRow("drain, empty table", drains[0], emptySize, null, shared),
            DrainRow($"drain, {filledLabel}", drains[1], filledSize, drains[0].Rate, shared),
        ];
    }

    private async Task<ClaimResults> ClaimBothAsync(BenchCluster empty, BenchCluster filled, CancellationToken cancellationToken)
    {
        var perRound = Math.Max(1, context.Sizes.ScaleClaimTasks / Rounds);
        foreach (var cluster in new[] { empty, filled })
        {
            await TaskBatches.QueueAsync(cluster.Client, "scale-claims", TaskBatches.Noops(WarmUpTasks + 2 * perRound * Rounds), cancellationToken);
        }
        await using var emptyLoop = new ClaimLoop(context.Server.ConnectionStringOf(empty.DatabaseName));
        await using var filledLoop = new ClaimLoop(context.Server.ConnectionStringOf(filled.DatabaseName));
        await emptyLoop.RunAsync(WarmUpTasks, EngineConfig.Default.Prefetch, null, cancellationToken);
        await filledLoop.RunAsync(WarmUpTasks, EngineConfig.Default.Prefetch, null, cancellationToken);
        var asLoaded = await AlternateAsync(emptyLoop, filledLoop, perRound, cancellationToken);
        foreach (var cluster in new[] { empty, filled })
        {
            await using var analyze = cluster.Data.CreateCommand(BenchQueries.AnalyzeTasks);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        var analyzed = await AlternateAsync(emptyLoop, filledLoop, perRound, cancellationToken);
        return new ClaimResults(asLoaded.Empty, asLoaded.Filled, analyzed.Empty, analyzed.Filled);
    }

    private static async Task<(ClaimStats Empty, ClaimStats Filled)> AlternateAsync(ClaimLoop empty, ClaimLoop filled, int perRound, CancellationToken cancellationToken)
    {
        var (emptyStats, filledStats) = (new ClaimStats(), new ClaimStats());
        for (var round = 0; round < Rounds; round++)
        {
            await empty.RunAsync(perRound, EngineConfig.Default.Prefetch, emptyStats, cancellationToken);
            await filled.RunAsync(perRound, EngineConfig.Default.Prefetch, filledStats, cancellationToken);
        }
        return (emptyStats, filledStats);
    }

    private static ResultRow ClaimRow(string setting, ClaimStats claims, TableSize size, double? emptyRate, Dictionary<string, object?> shared, bool analyzed)
    {
        var (p50, p95, p99) = Stats.Percentiles(claims.ClaimMs);
        return new ResultRow
        {
            System = SystemNames.TaskGrid,
            Workload = WorkloadNames.Scale,
            Setting = setting,
            JobsPerS = Stats.Round(claims.ClaimRate, 0),
            P50Ms = Stats.Round(p50, 3),
            P95Ms = Stats.Round(p95, 3),
            P99Ms = Stats.Round(p99, 3),
            Extra = new(shared)
            {
                ["mode"] = analyzed ? "claim-analyzed" : "claim",
                ["statistics"] = analyzed ? "ANALYZE run with the backlog present" : "as loaded: analyzed after the fill, before the backlog arrived",
                ["table"] = emptyRate is null ? "empty" : "filled",
                ["prefetch"] = EngineConfig.Default.Prefetch,
                ["n"] = claims.Tasks,
                ["claims"] = claims.ClaimMs.Count,
                ["loop_jobs_per_s"] = Stats.Round(claims.LoopRate, 0),
                ["vs_empty"] = emptyRate is { } rate ? Stats.Round(claims.ClaimRate / rate, 3) : null,
                ["table_rows"] = size.Rows,
                ["table_mb"] = Stats.Round(size.TotalBytes / 1048576.0, 1),
                ["queue_kb"] = Stats.Round(size.QueueBytes / 1024.0, 1),
                ["measured"] = "jobs_per_s: tasks claimed / time inside the claim statement (Prefetch 10, one connection; each batch then completed and its lease closed); latency: one claim statement",
            },
        };
    }

    private ResultRow DrainRow(string setting, DrainRun drain, TableSize size, double? emptyRate, Dictionary<string, object?> shared) => new()
    {
        System = SystemNames.TaskGrid,
        Workload = WorkloadNames.Scale,
        Setting = setting,
        JobsPerS = Stats.Round(drain.Rate, 0),
        P50Ms = Stats.Round(drain.RunMs[0], 2),
        P95Ms = Stats.Round(drain.RunMs[1], 2),
        P99Ms = Stats.Round(drain.RunMs[2], 2),
        Extra = new(shared)
        {
            ["mode"] = "drain",
            ["table"] = emptyRate is null ? "empty" : "filled",
            ["config"] = context.Arguments.Throughput.Spec,
            ["n"] = drain.Tasks,
            ["vs_empty"] = emptyRate is { } rate ? Stats.Round(drain.Rate / rate, 3) : null,
            ["table_rows"] = size.Rows,
            ["table_mb"] = Stats.Round(size.TotalBytes / 1048576.0, 1),
            ["measured"] = "jobs_per_s: n / (first claim -> last completion) with the throughput configuration; latency: claim -> completion",
        },
    };

    private static async Task<TableSize> TableSizeAsync(BenchCluster cluster, CancellationToken cancellationToken)
    {
        await using var command = cluster.Data.CreateCommand(BenchQueries.TableSizes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TableSize(reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(3));
    }

    private sealed record TableSize(long TotalBytes, long QueueBytes, long Rows);

    private sealed record ClaimResults(ClaimStats Empty, ClaimStats Filled, ClaimStats EmptyAnalyzed, ClaimStats FilledAnalyzed);
}
