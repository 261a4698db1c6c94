using Npgsql;
using NpgsqlTypes;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Tasks;

/// <summary>
/// Binds many <see cref="NewTask"/>s as the parallel arrays of <see cref="TaskQueries.TaskInsertMany"/>,
/// so a batch of any size is one statement and one round trip.
/// </summary>
internal static class NewTaskBatch
{
    public static NpgsqlCommand Bind(NpgsqlCommand command, IReadOnlyList<NewTask> tasks, string actor, DbClock clock)
    {
        command.With("ids", tasks.Select(t => t.Id).ToArray())
            .With("user_ids", tasks.Select(t => t.UserId).ToArray())
            .WithNullable("grid_ids", tasks.Select(t => t.GridId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid)
            .With("kinds", tasks.Select(t => t.Kind).ToArray())
            .With("priorities", tasks.Select(t => t.Priority).ToArray())
            .WithNullable("objectives", tasks.Select(t => t.Objective).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .WithNullable("languages", tasks.Select(t => t.Language).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .WithNullable("inputs", tasks.Select(t => TaskInputJson.Write(t.Script)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            .With("max_attempts", tasks.Select(t => t.MaxAttempts).ToArray())
            .WithNullable("timeouts", tasks.Select(t => t.Timeout).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Interval)
            .WithNullable("ttls", tasks.Select(t => t.Ttl).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Interval)
            .WithNullable("run_ats", tasks.Select(t => t.RunAt).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .WithNullable("delays", tasks.Select(t => t.Delay).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Interval)
            .With("actor", actor)
            .WithNow(clock);
        return command;
    }
}
