using Npgsql;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Reads nullable columns.</summary>
internal static class DataReaderExtensions
{
    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? GetDateTimeOffsetOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
