using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Retention;

/// <summary>
/// Deletes what is older than the configured ages, in small batches. Every silo calls
/// <see cref="RunOnceAsync"/> on a timer; a session advisory lock, held on the pass's own
/// connection, lets one silo at a time act (a silo that dies mid-pass loses the lock with its
/// connection, and one that stalls, frozen or waiting on the artifact store, loses it after
/// <see cref="RetentionOptions.StalledPassTimeout"/>, when PostgreSQL closes the idle session).
/// Each batch is its own short statement or transaction, so a pass never holds many row locks
/// at once, and rows a running turn has locked are skipped, not waited for.
///
/// Order matters: tasks go before the outputs only they linked to, and artifacts before the
/// contents only they held. Contents are removed from the store after the transaction that
/// stopped referring to them commits; a crash in between leaves bytes the abandoned-upload
/// sweep removes later, never a reference to missing bytes.
/// </summary>
public sealed class ClusterRetention
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DbClock _clock;
    private readonly ArtifactRepository _artifacts;
    private readonly IOptions<RetentionOptions> _options;
    private readonly IOptions<ArtifactOptions> _artifactOptions;

    internal ClusterRetention(NpgsqlDataSource dataSource, DbClock clock, ArtifactRepository artifacts, IOptions<RetentionOptions> options, IOptions<ArtifactOptions> artifactOptions)
    {
        _dataSource = dataSource;
        _clock = clock;
        _artifacts = artifacts;
        _options = options;
        _artifactOptions = artifactOptions;
    }

    /// <summary>Runs one pass; null when retention is off or another silo holds the duty right now.</summary>
    public async Task<RetentionPass?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        if (!options.Enabled)
        {
            return null;
        }
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand(RetentionQueries.LockTry, connection).With("key", RetentionQueries.LockKey))
        {
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }
        try
        {
            var idleLimit = ((long)options.StalledPassTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            await using (var bound = new NpgsqlCommand(RetentionQueries.BoundIdleSession, connection).With("milliseconds", idleLimit))
            {
                await bound.ExecuteNonQueryAsync(cancellationToken);
            }
            var lines = await RepeatAsync(() => ExecuteAsync(connection, RetentionQueries.LogDeleteOld, options.LogMaxAge, cancellationToken), options);
            var tasks = await RepeatAsync(() => ExecuteAsync(connection, RetentionQueries.TaskDeleteFinished, options.TaskMaxAge, cancellationToken), options);
            var artifacts = await RepeatAsync(() => DeleteOrphanOutputsAsync(connection, options, cancellationToken), options);
            var contents = await RepeatAsync(() => DeleteUnreferencedContentsAsync(connection, options, cancellationToken), options);
            var store = _artifacts.CurrentStore;
            var abandoned = await RepeatAsync(() => store.DeleteAbandonedAsync(_artifactOptions.Value.AbandonedUploadAge, options.BatchSize, cancellationToken), options);
            return new RetentionPass(lines, tasks, artifacts, contents, abandoned);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand(RetentionQueries.Unlock, connection).With("key", RetentionQueries.LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Batches until one comes back short (nothing more is due) or the pass's budget is spent.
    private static async Task<long> RepeatAsync(Func<Task<int>> batch, RetentionOptions options)
    {
        long total = 0;
        for (var i = 0; i < options.MaxBatchesPerPass; i++)
        {
            var deleted = await batch();
            total += deleted;
            if (deleted < options.BatchSize)
            {
                break;
            }
        }
        return total;
    }

    private async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, TimeSpan age, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection)
            .With("age", age).With("batch", _options.Value.BatchSize).WithNow(_clock);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Lock first, then delete in a later statement, which reads a snapshot taken after the
    // locks: a task that started running an output meanwhile is seen and keeps it.
    private async Task<int> DeleteOrphanOutputsAsync(NpgsqlConnection connection, RetentionOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<Guid>();
        await using (var select = new NpgsqlCommand(RetentionQueries.ArtifactLockOrphanOutputs, connection, transaction)
            .With("age", options.TaskMaxAge).With("batch", options.BatchSize).WithNow(_clock))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }
        var deleted = 0;
        if (ids.Count > 0)
        {
            await using var delete = new NpgsqlCommand(RetentionQueries.ArtifactDeleteOrphanOutputs, connection, transaction).With("ids", ids.ToArray());
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private async Task<int> DeleteUnreferencedContentsAsync(NpgsqlConnection connection, RetentionOptions options, CancellationToken cancellationToken)
    {
        var gone = new List<(string Store, string Key)>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var shas = new List<byte[]>();
            await using (var select = new NpgsqlCommand(RetentionQueries.BlobLockUnreferenced, connection, transaction).With("batch", options.BatchSize))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    shas.Add(reader.GetFieldValue<byte[]>(0));
                }
            }
            if (shas.Count > 0)
            {
                await using var delete = new NpgsqlCommand(RetentionQueries.BlobDeleteUnreferenced, connection, transaction).With("shas", shas.ToArray());
                await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    gone.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var (store, key) in gone)
        {
            await _artifacts.TryDeleteContentAsync(_artifacts.StoreNamed(store), key);
        }
        return gone.Count;
    }
}
