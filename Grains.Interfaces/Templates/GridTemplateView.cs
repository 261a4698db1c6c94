namespace TaskGrid.Templates;

/// <summary>A grid template as the API shows it.</summary>
/// <param name="Id">The template id.</param>
/// <param name="UserId">The owner; its runs belong to this user.</param>
/// <param name="Name">Its name.</param>
/// <param name="Cron">The five cron fields.</param>
/// <param name="TimeZone">The IANA time zone of the cron fields.</param>
/// <param name="TaskCount">How many tasks each run starts with.</param>
/// <param name="Priority">Each run's priority.</param>
/// <param name="MaxConcurrency">Each run's concurrency limit; null for none.</param>
/// <param name="MaxAttempts">Default attempts per task.</param>
/// <param name="TaskTtlSeconds">Seconds a task may wait to start; null for no limit.</param>
/// <param name="MissedTicks">The missed-tick policy: run_once or skip.</param>
/// <param name="NextTick">When the next run is created.</param>
/// <param name="LastTick">The tick of the latest run.</param>
/// <param name="LastRunId">The grid id of the latest run.</param>
/// <param name="LastError">Why the latest tick made no run, if it failed.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Version">Increases with every change.</param>
public sealed record GridTemplateView(
    Guid Id,
    string UserId,
    string Name,
    string Cron,
    string TimeZone,
    int TaskCount,
    int Priority,
    int? MaxConcurrency,
    int MaxAttempts,
    int? TaskTtlSeconds,
    string MissedTicks,
    DateTimeOffset? NextTick,
    DateTimeOffset? LastTick,
    Guid? LastRunId,
    string? LastError,
    DateTimeOffset CreatedAt,
    long Version);
