namespace TaskGrid.Tasks;

/// <summary>
/// Every allowed task state change, in one place. The database trigger that records
/// <c>task_events</c> refuses the same illegal moves, and a test keeps the two in step.
/// </summary>
public static class TaskTransitions
{
    private static readonly Dictionary<TaskState, TaskState[]> s_allowed = new()
    {
        // Claimed by a worker; cancelled by a user; its TTL ran out before it started.
        [TaskState.Pending] = [TaskState.Running, TaskState.Cancelled, TaskState.Expired],
        // Finished; failed for good; cancelled; back to pending after a retryable error,
        // a lost lease or a graceful release.
        [TaskState.Running] = [TaskState.Completed, TaskState.Failed, TaskState.Cancelled, TaskState.Pending],
        // Manual retry of a finished-but-unsuccessful task.
        [TaskState.Failed] = [TaskState.Pending],
        [TaskState.Cancelled] = [TaskState.Pending],
        [TaskState.Expired] = [TaskState.Pending],
        [TaskState.Completed] = [],
    };

    /// <summary>Whether a task may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TaskState from, TaskState to) => s_allowed[from].Contains(to);

    /// <summary>The states a task in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<TaskState> From(TaskState from) => s_allowed[from];

    /// <summary>Whether no further change happens without a user's action.</summary>
    public static bool IsTerminal(TaskState state) =>
        state is TaskState.Completed or TaskState.Failed or TaskState.Cancelled or TaskState.Expired;

    /// <summary>The states from which a manual retry is allowed.</summary>
    public static bool IsRetryable(TaskState state) => IsAllowed(state, TaskState.Pending) && state != TaskState.Running;

    /// <summary>The states from which a user may cancel.</summary>
    public static bool IsCancellable(TaskState state) => IsAllowed(state, TaskState.Cancelled);
}
