using Npgsql;
using TaskGrid.RateLimits;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.RateLimitQueries.Columns"/> to a <see cref="RateLimitView"/>.</summary>
internal static class RateLimitReader
{
    public static RateLimitView Read(NpgsqlDataReader r) => new(
        Name: r.GetString(0),
        RequestsPerMinute: r.GetInt32(1),
        TokensPerMinute: r.IsDBNull(2) ? null : r.GetInt32(2),
        WindowSeconds: r.GetInt32(3),
        ThrottleFactor: r.IsDBNull(5) ? 1 : r.GetDouble(4),
        ThrottledUntil: r.GetDateTimeOffsetOrNull(5),
        EffectiveRequestsPerMinute: r.GetInt32(6),
        RequestsInWindow: r.GetInt64(7),
        TokensInWindow: r.GetInt64(8),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(9),
        Version: r.GetInt64(10));

    public static async Task<List<RateLimitView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var views = new List<RateLimitView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(Read(reader));
        }
        return views;
    }
}
