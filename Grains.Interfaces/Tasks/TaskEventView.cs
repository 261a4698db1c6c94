namespace TaskGrid.Tasks;

/// <summary>One recorded state change of a task.</summary>
/// <param name="Id">Increases with every event in the cluster; orders a task's events.</param>
/// <param name="TaskId">The task.</param>
/// <param name="From">The state before, or null for the submission.</param>
/// <param name="To">The state after.</param>
/// <param name="At">When it happened.</param>
/// <param name="Attempt">The task's attempt number after the change.</param>
/// <param name="Worker">Who made the change: a worker id, <c>api</c>, <c>reaper</c>, ...</param>
/// <param name="Reason">Why, in words.</param>
public sealed record TaskEventView(
    long Id,
    Guid TaskId,
    TaskState? From,
    TaskState To,
    DateTimeOffset At,
    int Attempt,
    string? Worker,
    string? Reason);
