using FsCheck;
using FsCheck.Fluent;
using TaskGrid.Tasks;

namespace TaskGrid.Tests.Unit.Tasks;

public sealed class TaskTransitionsTests
{
    // The lifecycle as DESIGN.md states it, written out independently of TaskTransitions so
    // that a change to either shows up here.
    private static readonly HashSet<(TaskState From, TaskState To)> s_lifecycle =
    [
        (TaskState.Pending, TaskState.Running),
        (TaskState.Pending, TaskState.Cancelled),
        (TaskState.Pending, TaskState.Expired),
        (TaskState.Running, TaskState.Completed),
        (TaskState.Running, TaskState.Failed),
        (TaskState.Running, TaskState.Cancelled),
        (TaskState.Running, TaskState.Pending),
        (TaskState.Failed, TaskState.Pending),
        (TaskState.Cancelled, TaskState.Pending),
        (TaskState.Expired, TaskState.Pending),
    ];

    public static TheoryData<TaskState, TaskState> EveryPair()
    {
        var pairs = new TheoryData<TaskState, TaskState>();
        foreach (var from in TaskStateNames.All)
        {
            foreach (var to in TaskStateNames.All)
            {
                pairs.Add(from, to);
            }
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_pair_of_states_is_allowed_exactly_when_the_lifecycle_says_so(TaskState from, TaskState to) =>
        Assert.Equal(s_lifecycle.Contains((from, to)), TaskTransitions.IsAllowed(from, to));

    [Fact]
    public void There_are_six_states_and_thirty_six_pairs() =>
        Assert.Equal(36, EveryPair().Count);

    [Fact]
    public void From_lists_the_same_moves_as_IsAllowed_for_any_pair()
    {
        var states = Gen.Elements(TaskStateNames.All.ToArray());
        Prop.ForAll(Arb.From(Gen.Zip(states, states)), pair =>
            TaskTransitions.From(pair.Item1).Contains(pair.Item2) == TaskTransitions.IsAllowed(pair.Item1, pair.Item2)
            && TaskTransitions.From(pair.Item1).Distinct().Count() == TaskTransitions.From(pair.Item1).Count)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void No_state_moves_to_itself()
    {
        foreach (var state in TaskStateNames.All)
        {
            Assert.False(TaskTransitions.IsAllowed(state, state), $"{state} -> {state}");
        }
    }

    [Fact]
    public void Terminal_states_are_completed_failed_cancelled_and_expired() =>
        Assert.Equal(
            [TaskState.Completed, TaskState.Failed, TaskState.Cancelled, TaskState.Expired],
            TaskStateNames.All.Where(TaskTransitions.IsTerminal));

    [Fact]
    public void Only_pending_and_running_tasks_can_be_cancelled() =>
        Assert.Equal([TaskState.Pending, TaskState.Running], TaskStateNames.All.Where(TaskTransitions.IsCancellable));

    [Fact]
    public void Only_failed_cancelled_and_expired_tasks_can_be_retried() =>
        Assert.Equal([TaskState.Failed, TaskState.Cancelled, TaskState.Expired], TaskStateNames.All.Where(TaskTransitions.IsRetryable));

    [Fact]
    public void A_completed_task_can_go_nowhere()
    {
        Assert.Empty(TaskTransitions.From(TaskState.Completed));
        Assert.False(TaskTransitions.IsCancellable(TaskState.Completed));
        Assert.False(TaskTransitions.IsRetryable(TaskState.Completed));
    }

    [Fact]
    public void Every_state_can_reach_a_terminal_state()
    {
        foreach (var start in TaskStateNames.All)
        {
            var seen = new HashSet<TaskState> { start };
            var frontier = new Queue<TaskState>([start]);
            while (frontier.TryDequeue(out var state))
            {
                foreach (var next in TaskTransitions.From(state).Where(seen.Add))
                {
                    frontier.Enqueue(next);
                }
            }
            Assert.Contains(seen, TaskTransitions.IsTerminal);
        }
    }

    [Theory]
    [InlineData(TaskState.Pending, "pending")]
    [InlineData(TaskState.Running, "running")]
    [InlineData(TaskState.Completed, "completed")]
    [InlineData(TaskState.Failed, "failed")]
    [InlineData(TaskState.Cancelled, "cancelled")]
    [InlineData(TaskState.Expired, "expired")]
    public void State_names_round_trip(TaskState state, string name)
    {
        Assert.Equal(name, state.ToName());
        Assert.True(TaskStateNames.TryParse(name, out var parsed));
        Assert.Equal(state, parsed);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("done")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_state_names_do_not_parse(string? name) => Assert.False(TaskStateNames.TryParse(name, out _));
}
