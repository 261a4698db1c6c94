using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Persistence;

/// <summary>
/// Applies the embedded, numbered <c>.sql</c> migrations. Every process runs it at start-up;
/// a session advisory lock makes the others wait while one applies, and each migration runs
/// in its own transaction together with its <c>schema_migrations</c> row, so a crash leaves
/// either all of a migration or none of it.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    private const string ResourcePrefix = "TaskGrid.Migrations.";

    /// <summary>The migrations this build carries, in order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>The newest migration this build carries.</summary>
    public static int LatestVersion => Embedded.Count == 0 ? 0 : Embedded[^1].Version;

    /// <summary>Applies every embedded migration the database lacks; returns how many were applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteWithKey(connection, MigrationQueries.LockAcquire, cancellationToken);
        try
        {
            await Execute(connection, MigrationQueries.TableCreate, cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            var count = 0;
            foreach (var migration in Embedded)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        LogChecksumDiffers(migration.Version, migration.Name);
                    }
                    continue;
                }
                await ApplyAsync(connection, migration, cancellationToken);
                LogApplied(migration.Version, migration.Name);
                count++;
            }
            return count;
        }
        finally
        {
            await ExecuteWithKey(connection, MigrationQueries.LockRelease, CancellationToken.None);
        }
    }

    /// <summary>The newest migration applied to the database, or 0 when none ever was.</summary>
    public static async Task<int> AppliedVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(MigrationQueries.LatestApplied, connection);
            return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
        {
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var record = new NpgsqlCommand(MigrationQueries.Record, connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand(MigrationQueries.ListApplied, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteWithKey(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("key", MigrationQueries.LockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), out var version))
            {
                throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_description.sql.");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName), sql, checksum));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }
        return migrations;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {Version} ({Name}) differs from the one applied to the database; migrations must not change once released")]
    private partial void LogChecksumDiffers(int version, string name);
}

/// <summary>One embedded migration.</summary>
/// <param name="Version">Its number, from the file name.</param>
/// <param name="Name">The file name without extension.</param>
/// <param name="Sql">The script.</param>
/// <param name="Checksum">SHA-256 of the script, recorded when applied.</param>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
