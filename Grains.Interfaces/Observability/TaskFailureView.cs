namespace TaskGrid.Observability;

/// <summary>A task that failed for good or expired, from the recent-failures feed.</summary>
/// <param name="Id">Increases with every failure recorded; orders the feed.</param>
/// <param name="TaskId">The task.</param>
/// <param name="UserId">Its owner.</param>
/// <param name="GridId">Its grid, if any.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Status"><c>failed</c> or <c>expired</c>.</param>
/// <param name="Attempt">Attempts it had made.</param>
/// <param name="Error">Why (up to 4,000 characters).</param>
/// <param name="Objective">Its objective (codegen), up to 300 characters.</param>
/// <param name="FailedAt">When.</param>
public sealed record TaskFailureView(
    long Id,
    Guid TaskId,
    string UserId,
    Guid? GridId,
    string Kind,
    Tasks.TaskState Status,
    int Attempt,
    string? Error,
    string? Objective,
    DateTimeOffset FailedAt);
