namespace TaskGrid.Grids;

/// <summary>A grid as the API shows it, with its aggregate progress.</summary>
/// <param name="Id">The grid id.</param>
/// <param name="UserId">The owner.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">Active, paused, cancelled or finished.</param>
/// <param name="Priority">The default priority of its tasks.</param>
/// <param name="MaxConcurrency">At most this many of its tasks run at once; null for no limit.</param>
/// <param name="MaxAttempts">Default attempts per task.</param>
/// <param name="TaskTtlSeconds">Seconds a task may wait to start; null for no limit.</param>
/// <param name="Counts">Tasks per state.</param>
/// <param name="Total">All tasks.</param>
/// <param name="Progress">Share of tasks in a terminal state, 0..1.</param>
/// <param name="ThroughputPerSecond">Tasks finished per second since its first task started.</param>
/// <param name="EtaSeconds">Seconds until every task is done at that throughput; null when unknown.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StartedAt">When its first task started.</param>
/// <param name="FinishedAt">When its last unfinished task reached a terminal state.</param>
/// <param name="Version">Increases with every change of its settings; the ETag.</param>
/// <param name="ActiveFrom">Its tasks are not claimed before this time; null when claimable at once.</param>
/// <param name="RetireAt">When it retires (pending tasks expire); null for never.</param>
/// <param name="RetiredAt">When the scheduler retired it; null while it has not.</param>
/// <param name="TemplateId">The grid template that created it, for a recurring run.</param>
/// <param name="Tick">The template tick (cron time) this run is for.</param>
public sealed record GridView(
    Guid Id,
    string UserId,
    string Name,
    GridStatus Status,
    int Priority,
    int? MaxConcurrency,
    int MaxAttempts,
    int? TaskTtlSeconds,
    GridCounts Counts,
    int Total,
    double Progress,
    double? ThroughputPerSecond,
    double? EtaSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long Version,
    DateTimeOffset? ActiveFrom = null,
    DateTimeOffset? RetireAt = null,
    DateTimeOffset? RetiredAt = null,
    Guid? TemplateId = null,
    DateTimeOffset? Tick = null);
