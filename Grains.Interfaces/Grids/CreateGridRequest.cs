using TaskGrid.Tasks;

namespace TaskGrid.Grids;

/// <summary>A new grid: a named batch of tasks with shared priority, limits and controls.</summary>
public sealed record CreateGridRequest
{
    /// <summary>A name for people, 1..200 characters.</summary>
    public string? Name { get; init; }

    /// <summary>The owner. Only honoured when the caller may act for other users.</summary>
    public string? UserId { get; init; }

    /// <summary>Higher runs first; the default priority of the grid's tasks. Range -1000..1000. Default: 0.</summary>
    public int? Priority { get; init; }

    /// <summary>At most this many of the grid's tasks run at once, cluster-wide. Default: no limit.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Default attempts per task. Range 1..100. Default: 3.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Seconds a task may wait to start before it expires. Default: none, since a grid's tasks wait their turn by design.</summary>
    public int? TaskTtlSeconds { get; init; }

    /// <summary>The grid's tasks are not claimed before this time. Default: none (claimable at once).</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>At this time the grid retires: its pending tasks expire (kept, retryable), running ones finish. Default: never.</summary>
    public DateTimeOffset? RetireAt { get; init; }

    /// <summary>Tasks to add at creation.</summary>
    public IReadOnlyList<SubmitTaskRequest>? Tasks { get; init; }

    /// <summary>A matrix that expands to one task per combination, added at creation.</summary>
    public GridMatrix? Matrix { get; init; }
}
