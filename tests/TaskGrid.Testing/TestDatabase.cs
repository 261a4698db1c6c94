using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskGrid.Grains;
using TaskGrid.Grains.Persistence;
using Xunit;

namespace TaskGrid.Testing;

/// <summary>
/// A fresh, migrated database for one test class (use as <c>IClassFixture</c>), dropped
/// afterwards. Test classes never share rows, so they run in parallel in any order.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>The database's name.</summary>
    public string Name { get; } = $"tg_test_{Guid.NewGuid():N}"[..24];

    /// <summary>A postgres:// URL of this database, as the processes take it.</summary>
    public string Url { get; private set; } = "";

    /// <summary>An Npgsql connection string of this database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source for checks made straight in SQL.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(TestEnvironment.AdminDatabaseUrl)) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var own = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = Name, Pooling = true };
        ConnectionString = own.ConnectionString;
        var user = Uri.EscapeDataString(own.Username ?? "postgres");
        var password = string.IsNullOrEmpty(own.Password) ? "" : ":" + Uri.EscapeDataString(own.Password);
        Url = $"postgres://{user}{password}@{own.Host}:{own.Port}/{Name}";
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new MigrationRunner(DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
    }

    /// <summary>
    /// Services with the grains wired to this database, as a silo or gateway has them.
    /// <paramref name="time"/> replaces the clock; <paramref name="settings"/> adds configuration.
    /// </summary>
    public ServiceProvider CreateServices(TimeProvider? time = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["TaskGrid:Database:ConnectionString"] = ConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddMetrics();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddTaskGridGrains("taskgrid-tests");
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        lock (_providers)
        {
            _providers.Add(provider);
        }
        return provider;
    }

    /// <summary>Runs a scalar query straight against the database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default! : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement straight against the database.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(TestEnvironment.AdminDatabaseUrl)) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
