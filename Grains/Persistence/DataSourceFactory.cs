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
            // The claim, lease and acknowledgement statements run thousands of times a second:
            // prepare them on each physical connection after their second use.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // Detect a dead server on idle pooled and LISTEN connections.
            KeepAlive = 15,
            NoResetOnClose = true,
        };
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        dataSource.UseLoggerFactory(loggerFactory);
        return dataSource.Build();
    }
}
