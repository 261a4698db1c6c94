using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Queue;

/// <summary>
/// When the next piece of not-yet-due work becomes claimable: the earliest future run_at of a
/// pending task, or the earliest future active_from of a grid with waiting tasks. Silos read it
/// to wake their claim loops on time instead of polling.
/// </summary>
public sealed class DueWork
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;

    internal DueWork(GrainTurns turns, DbClock clock)
    {
        _turns = turns;
        _clock = clock;
    }

    /// <summary>The database's time now and the next due time (null when nothing waits).</summary>
    public Task<NextDue> NextAsync(CancellationToken cancellationToken) =>
        _turns.RunStatementAsync("queue.next-due", async connection =>
        {
            await using var command = new Npgsql.NpgsqlCommand(QueueQueries.TaskNextDue, connection).WithNow(_clock);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new NextDue(
                reader.GetFieldValue<DateTimeOffset>(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
        }, cancellationToken);
}

/// <summary>The database clock at the time of asking, and the next due time if any.</summary>
/// <param name="Now">The database's now (or the test clock).</param>
/// <param name="Due">When the next waiting task or grid window becomes claimable; null when none waits.</param>
public sealed record NextDue(DateTimeOffset Now, DateTimeOffset? Due);
