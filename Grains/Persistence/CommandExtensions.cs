using Npgsql;
using NpgsqlTypes;

namespace TaskGrid.Grains.Persistence;

/// <summary>Typed parameter helpers, so that a null value still tells PostgreSQL its type.</summary>
internal static class CommandExtensions
{
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string name, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>Adds <c>@now</c>: the test clock's time, or null for the database clock.</summary>
    public static NpgsqlCommand WithNow(this NpgsqlCommand command, DbClock clock) =>
        command.WithNullable("now", clock.Now, NpgsqlDbType.TimestampTz);

    /// <summary>Adds <c>@owner</c>: the owner every row must belong to, or null for an admin.</summary>
    public static NpgsqlCommand WithOwner(this NpgsqlCommand command, string? owner) =>
        command.WithNullable("owner", owner, NpgsqlDbType.Text);
}
