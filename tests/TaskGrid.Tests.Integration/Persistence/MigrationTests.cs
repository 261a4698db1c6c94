using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskGrid.Grains.Persistence;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Persistence;

public sealed class MigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Applying_the_migrations_again_is_a_no_op()
    {
        var schemaBefore = await SchemaFingerprintAsync(database.DataSource);
        var applied = await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        Assert.Equal(0, applied);
        Assert.Equal(MigrationRunner.Embedded.Count, await database.ScalarAsync<long>("select count(*) from schema_migrations"));
        Assert.Equal(schemaBefore, await SchemaFingerprintAsync(database.DataSource));
    }

    [Fact]
    public async Task Schema_migrations_records_every_version_with_its_name_and_checksum()
    {
        Assert.NotEmpty(MigrationRunner.Embedded);
        Assert.Equal(1, MigrationRunner.Embedded[0].Version);
        Assert.Equal("0001_core", MigrationRunner.Embedded[0].Name);
        foreach (var migration in MigrationRunner.Embedded)
        {
            Assert.Equal(migration.Name, await database.ScalarAsync<string>("select name from schema_migrations where version = @v", ("v", migration.Version)));
            Assert.Equal(migration.Checksum, await database.ScalarAsync<string>("select checksum from schema_migrations where version = @v", ("v", migration.Version)));
        }
        Assert.Equal(MigrationRunner.LatestVersion, await database.ScalarAsync<int>("select max(version) from schema_migrations"));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(MigrationRunner.LatestVersion, await MigrationRunner.AppliedVersionAsync(connection, CancellationToken.None));
    }

    [Fact]
    public async Task Several_runners_migrating_a_fresh_database_at_once_apply_each_migration_once()
    {
        await using var scratch = await ScratchDatabase.CreateAsync();
        await using (var connection = await scratch.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await MigrationRunner.AppliedVersionAsync(connection, CancellationToken.None));
        }
        // Separate data sources, as separate silo and gateway processes have.
        var sources = Enumerable.Range(0, 6).Select(_ => NpgsqlDataSource.Create(scratch.ConnectionString)).ToList();
        try
        {
            var counts = await Task.WhenAll(sources.Select(source =>
                Task.Run(() => new MigrationRunner(source, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None))));
            Assert.Equal(MigrationRunner.Embedded.Count, counts.Sum());
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
        await using var check = scratch.DataSource.CreateCommand("select count(*), count(distinct version) from schema_migrations");
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(MigrationRunner.Embedded.Count, reader.GetInt64(0));
        Assert.Equal(MigrationRunner.Embedded.Count, reader.GetInt64(1));
        await reader.DisposeAsync();
        Assert.Equal(await SchemaFingerprintAsync(database.DataSource), await SchemaFingerprintAsync(scratch.DataSource));
    }

    [Fact]
    public async Task Each_migration_script_tolerates_running_again_over_itself()
    {
        await using var scratch = await ScratchDatabase.CreateAsync();
        foreach (var migration in MigrationRunner.Embedded)
        {
            for (var run = 0; run < 2; run++)
            {
                await using var command = scratch.DataSource.CreateCommand(migration.Sql);
                await command.ExecuteNonQueryAsync();
            }
        }
        Assert.Equal(await SchemaFingerprintAsync(database.DataSource, skip: "schema_migrations"), await SchemaFingerprintAsync(scratch.DataSource, skip: "schema_migrations"));
    }

    // Tables, columns, indexes, constraints and triggers of the public schema, as one string.
    private static async Task<string> SchemaFingerprintAsync(NpgsqlDataSource source, string skip = "")
    {
        await using var command = source.CreateCommand("""
            select string_agg(item, E'\n' order by item) from (
                select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable as item
                from information_schema.columns where table_schema = 'public' and table_name <> @skip
                union all
                select 'index ' || indexname || ' ' || indexdef from pg_indexes where schemaname = 'public' and tablename <> @skip
                union all
                select 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
                where connamespace = 'public'::regnamespace and conrelid::regclass::text <> @skip
                union all
                select 'trigger ' || tgname from pg_trigger where not tgisinternal
            ) items
            """);
        command.Parameters.AddWithValue("skip", skip);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>An empty database of its own, for tests that need one without the schema.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private ScratchDatabase(string name, string adminConnectionString)
    {
        Name = name;
        _adminConnectionString = adminConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var name = $"tg_test_{Guid.NewGuid():N}"[..24];
        var admin = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(TestEnvironment.AdminDatabaseUrl)) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new ScratchDatabase(name, admin);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
