using Npgsql;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.QueueQueries.TaskClaimAvailable"/> to a <see cref="ClaimedTask"/>.</summary>
internal static class ClaimedTaskReader
{
    public static ClaimedTask Read(NpgsqlDataReader r, TimeSpan leaseDuration)
    {
        var id = r.GetGuid(0);
        return new ClaimedTask(
            Id: id,
            UserId: r.GetString(1),
            GridId: r.IsDBNull(2) ? null : r.GetGuid(2),
            Kind: r.GetString(3),
            Objective: r.GetStringOrNull(4),
            Language: r.GetStringOrNull(5),
            Script: TaskInputJson.ReadScript(r.GetStringOrNull(6)),
            Attempt: r.GetInt32(7),
            MaxAttempts: r.GetInt32(8),
            Timeout: r.IsDBNull(9) ? null : r.GetFieldValue<TimeSpan>(9),
            Lease: new LeaseRef(id, r.GetGuid(10), r.IsDBNull(13) ? null : r.GetInt64(13)),
            LeaseExpiresAt: r.GetFieldValue<DateTimeOffset>(12) + leaseDuration,
            RunAt: r.GetFieldValue<DateTimeOffset>(11),
            ClaimedAt: r.GetFieldValue<DateTimeOffset>(12));
    }
}
