using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskGrid.Grains.Persistence;

/// <summary>
/// Applies migrations before the process does anything else. PostgreSQL may still be starting
/// (a fresh pod, a restarted server): the service waits for it up to a minute, then stops the
/// process with a message naming the database it tried.
/// </summary>
internal sealed partial class MigrationHostedService(
    MigrationRunner runner,
    IOptions<DatabaseOptions> options,
    NpgsqlDataSource dataSource,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }
        var deadline = DateTimeOffset.UtcNow + s_patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await runner.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && DateTimeOffset.UtcNow < deadline)
            {
                LogWaiting(Describe(), ex.Message, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException)
            {
                throw new InvalidOperationException(
                    $"Could not prepare the database at {Describe()}: {ex.Message}. Check TASKGRID_DATABASE_URL (or DATABASE_URL) and that PostgreSQL is running.", ex);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Host, port and database only: never the password.
    private string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL at {Database} ({Reason}), attempt {Attempt}")]
    private partial void LogWaiting(string database, string reason, int attempt);
}
