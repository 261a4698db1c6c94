namespace TaskGrid.Tasks;

/// <summary>The wire and database spelling of <see cref="TaskState"/> values (lower case).</summary>
public static class TaskStateNames
{
    /// <summary>All states in lifecycle order.</summary>
    public static readonly IReadOnlyList<TaskState> All = Enum.GetValues<TaskState>();

    /// <summary>The lower-case name used in JSON and in the <c>tasks.status</c> column.</summary>
    public static string ToName(this TaskState state) => state switch
    {
        TaskState.Pending => "pending",
        TaskState.Running => "running",
        TaskState.Completed => "completed",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        TaskState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown task state."),
    };

    /// <summary>Parses a lower-case state name; false for anything else.</summary>
    public static bool TryParse(string? name, out TaskState state)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }

    /// <summary>Parses a state name read from the database, where only valid names exist.</summary>
    public static TaskState Parse(string name) =>
        TryParse(name, out var state) ? state : throw new FormatException($"'{name}' is not a task state.");
}
