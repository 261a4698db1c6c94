using Npgsql;
using TaskGrid.Templates;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.GridTemplateQueries.Columns"/> to a <see cref="GridTemplateView"/>.</summary>
internal static class GridTemplateReader
{
    public static GridTemplateView Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        UserId: r.GetString(1),
        Name: r.GetString(2),
        Cron: r.GetString(3),
        TimeZone: r.GetString(4),
        TaskCount: r.GetInt32(5),
        Priority: r.GetInt32(6),
        MaxConcurrency: r.IsDBNull(7) ? null : r.GetInt32(7),
        MaxAttempts: r.GetInt32(8),
        TaskTtlSeconds: r.IsDBNull(9) ? null : (int)r.GetFieldValue<TimeSpan>(9).TotalSeconds,
        MissedTicks: r.GetString(10),
        NextTick: r.GetDateTimeOffsetOrNull(11),
        LastTick: r.GetDateTimeOffsetOrNull(12),
        LastRunId: r.IsDBNull(13) ? null : r.GetGuid(13),
        LastError: r.GetStringOrNull(14),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(15),
        Version: r.GetInt64(16));

    public static async Task<List<GridTemplateView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var views = new List<GridTemplateView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(Read(reader));
        }
        return views;
    }
}
