using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Observability;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Cluster;

/// <summary>
/// The cluster's periodic duty: declare silent silos dead, requeue tasks whose lease was
/// lost, and expire tasks past their TTL. Every silo calls <see cref="RunOnceAsync"/> on a
/// timer; a transaction-scoped advisory lock lets exactly one of them act at a time, and if
/// that silo dies the lock goes with its connection, so another takes the duty at its next tick.
/// The same pass keeps the observability tables small: it folds the metric totals of silos that
/// are gone and drops old history samples and failures.
/// </summary>
public sealed class ClusterMaintenance
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;
    private readonly IOptions<ClusterOptions> _options;
    private readonly IOptions<ObservabilityOptions> _observability;

    internal ClusterMaintenance(GrainTurns turns, DbClock clock, IOptions<ClusterOptions> options, IOptions<ObservabilityOptions> observability)
    {
        _turns = turns;
        _clock = clock;
        _options = options;
        _observability = observability;
    }

    /// <summary>Runs one pass; null when another silo holds the duty right now.</summary>
    public Task<MaintenancePass?> RunOnceAsync(CancellationToken cancellationToken) =>
        _turns.RunAsync("cluster.maintenance", async (connection, transaction) =>
        {
            await using (var tryLock = new NpgsqlCommand(MaintenanceQueries.LockTry, connection, transaction).With("key", MaintenanceQueries.LockKey))
            {
                if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return null;
                }
            }
            var options = _options.Value;
            var dead = new List<string>();
            await using (var markDead = new NpgsqlCommand(MaintenanceQueries.SiloMarkDead, connection, transaction)
                .With("dead_after", options.SiloDeadAfter).WithNow(_clock))
            await using (var reader = await markDead.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    dead.Add(reader.GetString(0));
                }
            }
            var reaped = await ReapLostLeasesAsync(connection, transaction, options.MaintenanceBatchSize, cancellationToken);
            var expired = await ExecuteAsync(connection, transaction, MaintenanceQueries.TaskExpireOverdue, options.MaintenanceBatchSize, cancellationToken);
            await TidyObservabilityAsync(connection, transaction, options.MaintenanceBatchSize, cancellationToken);
            return new MaintenancePass(dead, reaped, expired);
        }, cancellationToken);

    private async Task TidyObservabilityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int batch, CancellationToken cancellationToken)
    {
        var observability = _observability.Value;
        await using (var fold = new NpgsqlCommand(MetricQueries.MetricTotalFoldRetired, connection, transaction).WithNow(_clock))
        {
            await fold.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var samples = new NpgsqlCommand(MetricQueries.MetricSampleDeleteOld, connection, transaction)
            .With("keep", observability.MetricsHistory).With("batch", batch * 10).WithNow(_clock))
        {
            await samples.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var failures = new NpgsqlCommand(TaskFailureQueries.TaskFailureDeleteOld, connection, transaction)
            .With("keep", observability.FailureHistory).With("batch", batch).WithNow(_clock);
        await failures.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ReapLostLeasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int batch, CancellationToken cancellationToken)
    {
        await using var lost = new NpgsqlCommand(MaintenanceQueries.TaskLeasesLost, connection, transaction).With("batch", batch).WithNow(_clock);
        var leases = (Guid[])(await lost.ExecuteScalarAsync(cancellationToken))!;
        if (leases.Length == 0)
        {
            return 0;
        }
        await using var requeue = new NpgsqlCommand(MaintenanceQueries.TaskRequeueLostLeases, connection, transaction)
            .With("lease_ids", leases).WithNow(_clock);
        return await requeue.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, int batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction).With("batch", batch).WithNow(_clock);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
