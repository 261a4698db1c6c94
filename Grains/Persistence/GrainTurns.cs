using Microsoft.Extensions.Logging;
using Npgsql;

namespace TaskGrid.Grains.Persistence;

/// <summary>
/// Runs grain turns: one transaction each, run again (up to a few times) when PostgreSQL
/// reports a deadlock or serialization failure, which concurrent batches touching the same
/// grid rows can cause and which a fresh attempt resolves.
/// </summary>
public sealed partial class GrainTurns(NpgsqlDataSource dataSource, ILogger<GrainTurns> logger)
{
    private const int MaxAttempts = 4;

    /// <summary>The process's data source.</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Runs <paramref name="turn"/> in a read-committed transaction and commits it.</summary>
    public async Task<T> RunAsync<T>(string name, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> turn, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await turn(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && IsRetryable(ex))
            {
                LogTurnRetried(name, attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Runs a single statement outside an explicit transaction (it is atomic by itself).</summary>
    public async Task<T> RunStatementAsync<T>(string name, Func<NpgsqlConnection, Task<T>> statement, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                return await statement(connection);
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && IsRetryable(ex))
            {
                LogTurnRetried(name, attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    private static bool IsRetryable(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn {Turn} hit {SqlState} on attempt {Attempt}; running it again")]
    private partial void LogTurnRetried(string turn, int attempt, string sqlState);
}
