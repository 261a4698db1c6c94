using TaskGrid.Tasks;

namespace TaskGrid.Workers;

/// <summary>A task leased to a worker: everything its executor needs, plus the lease that fences its result.</summary>
/// <param name="Id">The task id.</param>
/// <param name="UserId">The owner.</param>
/// <param name="GridId">Its grid, if any.</param>
/// <param name="Kind">The executor to run.</param>
/// <param name="Objective">Codegen objective.</param>
/// <param name="Language">Codegen language.</param>
/// <param name="Script">Script input.</param>
/// <param name="Attempt">This attempt's number, from 1.</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Timeout">The task's own wall-clock limit per attempt, if set.</param>
/// <param name="Lease">The lease; only its holder may acknowledge.</param>
/// <param name="LeaseExpiresAt">When the lease lapses unless renewed.</param>
/// <param name="RunAt">When the task became due.</param>
/// <param name="ClaimedAt">When this attempt was claimed.</param>
public sealed record ClaimedTask(
    Guid Id,
    string UserId,
    Guid? GridId,
    string Kind,
    string? Objective,
    string? Language,
    ScriptSpec? Script,
    int Attempt,
    int MaxAttempts,
    TimeSpan? Timeout,
    LeaseRef Lease,
    DateTimeOffset LeaseExpiresAt,
    DateTimeOffset RunAt,
    DateTimeOffset ClaimedAt);
