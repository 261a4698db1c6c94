namespace TaskGrid.Tasks;

/// <summary>A task as the API shows it.</summary>
/// <param name="Id">The task id.</param>
/// <param name="UserId">The owner.</param>
/// <param name="GridId">The grid it belongs to, if any.</param>
/// <param name="Kind">The executor that runs it.</param>
/// <param name="Status">Where it is in its lifecycle.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Objective">What the code should do (codegen).</param>
/// <param name="Language">The language to write it in (codegen).</param>
/// <param name="Code">The generated code, once completed (codegen).</param>
/// <param name="Output">What the task printed, once finished (script).</param>
/// <param name="Error">Why the last attempt failed, if it did.</param>
/// <param name="Attempt">How many attempts have started.</param>
/// <param name="MaxAttempts">How many attempts are allowed.</param>
/// <param name="TimeoutSeconds">Wall-clock limit of one attempt, if set.</param>
/// <param name="Script">The script input (script).</param>
/// <param name="Usage">Tokens used (codegen).</param>
/// <param name="CreatedAt">When it was submitted.</param>
/// <param name="RunAt">When it becomes (or became) due.</param>
/// <param name="ExpiresAt">When it expires if not started by then.</param>
/// <param name="StartedAt">When its latest attempt started.</param>
/// <param name="CompletedAt">When it reached a terminal state.</param>
/// <param name="Version">Increases with every change; the ETag.</param>
public sealed record TaskView(
    Guid Id,
    string UserId,
    Guid? GridId,
    string Kind,
    TaskState Status,
    int Priority,
    string? Objective,
    string? Language,
    string? Code,
    string? Output,
    string? Error,
    int Attempt,
    int MaxAttempts,
    int? TimeoutSeconds,
    ScriptSpec? Script,
    TaskUsage? Usage,
    DateTimeOffset CreatedAt,
    DateTimeOffset RunAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long Version);
