using Npgsql;
using TaskGrid.Grains.Access;
using TaskGrid.Users;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps rows of <see cref="Sql.UserQueries.Columns"/> and <see cref="Sql.ApiKeyQueries.Columns"/>.</summary>
internal static class UserReader
{
    public static UserView Read(NpgsqlDataReader r) => new(
        Id: r.GetString(0),
        Name: r.GetString(1),
        Role: Roles.Parse(r.GetString(2)),
        MaxPendingTasks: r.IsDBNull(3) ? null : r.GetInt32(3),
        Disabled: r.GetBoolean(4),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(5),
        Version: r.GetInt64(6));

    public static ApiKeyView ReadKey(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        UserId: r.GetString(1),
        Name: r.GetStringOrNull(2),
        Prefix: r.GetString(3),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(4),
        LastUsedAt: r.GetDateTimeOffsetOrNull(5),
        RevokedAt: r.GetDateTimeOffsetOrNull(6));

    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public static async Task<T?> ReadSingleAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }
}
