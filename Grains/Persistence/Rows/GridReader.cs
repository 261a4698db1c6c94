using Npgsql;
using TaskGrid.Grids;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.GridQueries.Columns"/> to a <see cref="GridView"/>, deriving progress, throughput and ETA.</summary>
internal static class GridReader
{
    public static GridView Read(NpgsqlDataReader r)
    {
        var counts = new GridCounts(
            Pending: r.GetInt32(8),
            Running: r.GetInt32(9),
            Completed: r.GetInt32(10),
            Failed: r.GetInt32(11),
            Cancelled: r.GetInt32(12),
            Expired: r.GetInt32(13));
        var state = r.GetString(3);
        var startedAt = r.GetDateTimeOffsetOrNull(15);
        var finishedAt = r.GetDateTimeOffsetOrNull(16);
        var readAt = r.GetFieldValue<DateTimeOffset>(18);
        var total = counts.Total;

        var processed = counts.Completed + counts.Failed;
        double? throughput = null;
        if (startedAt is { } started && processed > 0)
        {
            var elapsed = ((finishedAt ?? readAt) - started).TotalSeconds;
            throughput = elapsed > 0 ? processed / elapsed : null;
        }
        var unfinished = counts.Pending + counts.Running;
        double? eta = unfinished == 0 ? 0 : throughput is > 0 and var rate && state == "active" ? unfinished / rate : null;

        return new GridView(
            Id: r.GetGuid(0),
            UserId: r.GetString(1),
            Name: r.GetString(2),
            Status: state switch
            {
                "paused" => GridStatus.Paused,
                "cancelled" => GridStatus.Cancelled,
                _ when total > 0 && unfinished == 0 => GridStatus.Finished,
                _ => GridStatus.Active,
            },
            Priority: r.GetInt32(4),
            MaxConcurrency: r.IsDBNull(5) ? null : r.GetInt32(5),
            MaxAttempts: r.GetInt32(6),
            TaskTtlSeconds: r.IsDBNull(7) ? null : (int)r.GetFieldValue<TimeSpan>(7).TotalSeconds,
            Counts: counts,
            Total: total,
            Progress: total == 0 ? 0 : (double)counts.Done / total,
            ThroughputPerSecond: throughput,
            EtaSeconds: eta,
            CreatedAt: r.GetFieldValue<DateTimeOffset>(14),
            StartedAt: startedAt,
            FinishedAt: finishedAt,
            Version: r.GetInt64(17),
            ActiveFrom: r.GetDateTimeOffsetOrNull(19),
            RetireAt: r.GetDateTimeOffsetOrNull(20),
            RetiredAt: r.GetDateTimeOffsetOrNull(21),
            TemplateId: r.IsDBNull(22) ? null : r.GetGuid(22),
            Tick: r.GetDateTimeOffsetOrNull(23));
    }

    public static async Task<GridView?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public static async Task<List<GridView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var grids = new List<GridView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            grids.Add(Read(reader));
        }
        return grids;
    }
}
