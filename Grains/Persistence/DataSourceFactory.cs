using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskGrid.Grains.Persistence;

/// <summary>Builds the process's single <see cref="NpgsqlDataSource"/>.</summary>
internal static class DataSourceFactory
{
    public static NpgsqlDataSource Create(IOptions<DatabaseOptions> options, ILoggerFactory loggerFactory, string applicationName)
    {
        var settings = options.Value;
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(settings.ConnectionString!))
        {
            ApplicationName = applicationName,
            MaxPoolSize = settings.MaxPoolSize,
            Timeout = (int)Math.Ceiling(settings.ConnectTimeout.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds),
            // No automatic preparation: Npgsql's auto-prepared statements can be left corrupt on a
            // pooled connection after a failed statement rolls back (npgsql/npgsql#6391, open), and
            // TaskGrid's turns fail on purpose (conflicts, deadlock retries). Hot statements are
            // batched, so their planning cost is shared by the whole batch.
            MaxAutoPrepare = 0,
            // Detect a dead server on idle pooled and LISTEN connections.
            KeepAlive = 15,
            NoResetOnClose = true,
        };
        // A session setting sent at connect time, after any the connection string already passes.
        var idle = $"-c idle_in_transaction_session_timeout={(long)settings.IdleInTransactionTimeout.TotalMilliseconds}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? idle : $"{builder.Options} {idle}";
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        dataSource.UseLoggerFactory(loggerFactory);
        return dataSource.Build();
    }
}
