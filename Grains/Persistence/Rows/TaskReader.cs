using Npgsql;
using TaskGrid.Tasks;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.TaskQueries.Columns"/> to a <see cref="TaskView"/>.</summary>
internal static class TaskReader
{
    public static TaskView Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        UserId: r.GetString(1),
        GridId: r.IsDBNull(2) ? null : r.GetGuid(2),
        Kind: r.GetString(3),
        Status: TaskStateNames.Parse(r.GetString(4)),
        Priority: r.GetInt32(5),
        Objective: r.GetStringOrNull(6),
        Language: r.GetStringOrNull(7),
        Script: TaskInputJson.ReadScript(r.GetStringOrNull(8)),
        Code: r.GetStringOrNull(9),
        Output: r.GetStringOrNull(10),
        Error: r.GetStringOrNull(11),
        Usage: TaskInputJson.ReadUsage(r.GetStringOrNull(12)),
        Attempt: r.GetInt32(13),
        MaxAttempts: r.GetInt32(14),
        TimeoutSeconds: r.IsDBNull(15) ? null : (int)r.GetFieldValue<TimeSpan>(15).TotalSeconds,
        RunAt: r.GetFieldValue<DateTimeOffset>(16),
        ExpiresAt: r.GetDateTimeOffsetOrNull(17),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(18),
        StartedAt: r.GetDateTimeOffsetOrNull(19),
        CompletedAt: r.GetDateTimeOffsetOrNull(20),
        Version: r.GetInt64(21));

    public static async Task<List<TaskView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tasks = new List<TaskView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(Read(reader));
        }
        return tasks;
    }

    public static async Task<TaskView?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }
}
