using Npgsql;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Persistence;

/// <summary>The database refuses the same state changes as <see cref="TaskTransitions"/>.</summary>
public sealed class TransitionFunctionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_sql_function_agrees_with_TaskTransitions_for_all_36_pairs()
    {
        var disagreements = new List<string>();
        foreach (var from in TaskStateNames.All)
        {
            foreach (var to in TaskStateNames.All)
            {
                var sql = await database.ScalarAsync<bool>("select taskgrid_transition_allowed(@from, @to)", ("from", from.ToName()), ("to", to.ToName()));
                if (sql != TaskTransitions.IsAllowed(from, to))
                {
                    disagreements.Add($"{from.ToName()} -> {to.ToName()}: sql says {sql}");
                }
            }
        }
        Assert.Empty(disagreements);
    }

    [Theory]
    [InlineData("pending", "bogus")]
    [InlineData("bogus", "pending")]
    [InlineData("completed", "pending")]
    public async Task Unknown_or_final_states_allow_nothing(string from, string to) =>
        Assert.False(await database.ScalarAsync<bool>("select taskgrid_transition_allowed(@from, @to)", ("from", from), ("to", to)));

    public static TheoryData<TaskState, TaskState> ChangingPairs()
    {
        var pairs = new TheoryData<TaskState, TaskState>();
        foreach (var from in TaskStateNames.All)
        {
            foreach (var to in TaskStateNames.All.Where(to => to != from))
            {
                pairs.Add(from, to);
            }
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(ChangingPairs))]
    public async Task An_update_of_tasks_status_is_refused_by_the_database_exactly_when_illegal(TaskState from, TaskState to)
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync();
        foreach (var step in PathTo(from))
        {
            await SetStatusAsync(task.Id, step);
        }
        Assert.Equal(from.ToName(), await engine.StatusAsync(task.Id));
        var eventsBefore = await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", task.Id));

        if (TaskTransitions.IsAllowed(from, to))
        {
            await SetStatusAsync(task.Id, to);
            Assert.Equal(to.ToName(), await engine.StatusAsync(task.Id));
            Assert.Equal(eventsBefore + 1, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", task.Id)));
        }
        else
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => SetStatusAsync(task.Id, to));
            Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
            Assert.Equal("task_events_legal_transition", refused.ConstraintName);
            Assert.Equal(from.ToName(), await engine.StatusAsync(task.Id));
            Assert.Equal(eventsBefore, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", task.Id)));
        }
    }

    [Fact]
    public async Task A_lease_token_outside_the_running_state_is_refused()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            database.ExecuteAsync("update tasks set lease_token = gen_random_uuid() where id = @id", ("id", task.Id)));
        Assert.Equal("tasks_lease_only_while_running", refused.ConstraintName);
    }

    // A legal way from pending to each state.
    private static TaskState[] PathTo(TaskState state) => state switch
    {
        TaskState.Pending => [],
        TaskState.Running => [TaskState.Running],
        TaskState.Completed => [TaskState.Running, TaskState.Completed],
        TaskState.Failed => [TaskState.Running, TaskState.Failed],
        TaskState.Cancelled => [TaskState.Cancelled],
        TaskState.Expired => [TaskState.Expired],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    // Keeps tasks_lease_only_while_running satisfied so that only the transition rule can refuse.
    private Task<int> SetStatusAsync(Guid id, TaskState to) => database.ExecuteAsync("""
        update tasks
        set status = @to, lease_token = case when @to = 'running' then gen_random_uuid() end
        where id = @id
        """, ("id", id), ("to", to.ToName()));
}
