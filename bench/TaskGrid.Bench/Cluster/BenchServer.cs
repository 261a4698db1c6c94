using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using TaskGrid.Bench.Measurement;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Bench.Cluster;

/// <summary>
/// The PostgreSQL server of the run (the peer harness's tuned cluster). TaskGrid gets its own
/// databases on it, one per workload, so every workload starts from an empty, freshly migrated
/// schema while sharing the server, and its tuning, with the peers.
/// </summary>
internal sealed partial class BenchServer : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _admin;

    public BenchServer(string adminUrl)
    {
        _admin = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(adminUrl)) { Pooling = false };
        Admin = NpgsqlDataSource.Create(_admin.ConnectionString);
    }

    public NpgsqlDataSource Admin { get; }

    /// <summary>A postgres:// URL of <paramref name="database"/> on this server, as the processes take it.</summary>
    public string UrlOf(string database)
    {
        var user = Uri.EscapeDataString(_admin.Username ?? "postgres");
        var password = string.IsNullOrEmpty(_admin.Password) ? "" : ":" + Uri.EscapeDataString(_admin.Password);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{password}@{_admin.Host}:{_admin.Port}/{database}");
    }

    /// <summary>An Npgsql connection string of <paramref name="database"/>, pooled.</summary>
    public string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database, Pooling = true, MaxPoolSize = 8 }.ConnectionString;

    /// <summary>Creates an empty database (dropping a leftover of the same name) and returns a data source on it.</summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        await DropDatabaseAsync(name, cancellationToken);
        await using (var create = Admin.CreateCommand(BenchQueries.DatabaseCreate(name)))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return NpgsqlDataSource.Create(ConnectionStringOf(name));
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        await using var drop = Admin.CreateCommand(BenchQueries.DatabaseDrop(name));
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string> VersionAsync(CancellationToken cancellationToken) =>
        (string)(await ScalarAsync(BenchQueries.ServerVersion, cancellationToken))!;

    public async Task<string> SettingsAsync(CancellationToken cancellationToken) =>
        (string)(await ScalarAsync(BenchQueries.ServerSettings, cancellationToken))!;

    public ValueTask DisposeAsync() => Admin.DisposeAsync();

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Admin.CreateCommand(sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    // Database names go into DDL, which takes no parameters: only names the benchmark makes.
    private static void CheckName(string name)
    {
        if (!SafeName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a benchmark database name (lower-case letters, digits, underscores).", nameof(name));
        }
    }

    [GeneratedRegex("^tgbench_[a-z0-9_]{1,50}$")]
    private static partial Regex SafeName();
}
