using TaskGrid.Tasks;

namespace TaskGrid.Templates;

/// <summary>A recurring grid: at every tick of <see cref="Cron"/> the cluster creates a new grid run with these tasks.</summary>
public sealed record CreateGridTemplateRequest
{
    /// <summary>A name for people, 1..200 characters; each run is named after it and its tick.</summary>
    public string? Name { get; init; }

    /// <summary>The owner. Only honoured when the caller may act for other users.</summary>
    public string? UserId { get; init; }

    /// <summary>Five standard cron fields: minute hour day-of-month month day-of-week, for example <c>0 3 * * mon-fri</c>.</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA time zone the cron fields are read in. Default: <c>UTC</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The tasks every run starts with (1..MaxTasksPerCall).</summary>
    public IReadOnlyList<SubmitTaskRequest>? Tasks { get; init; }

    /// <summary>Each run's priority. Range -1000..1000. Default: 0.</summary>
    public int? Priority { get; init; }

    /// <summary>Each run's concurrency limit. Default: none.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Default attempts per task of a run. Range 1..100. Default: 3.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Seconds a run's task may wait to start. Default: none.</summary>
    public int? TaskTtlSeconds { get; init; }

    /// <summary>
    /// What happens to ticks missed while no silo ran the scheduler: <c>run_once</c> (default)
    /// creates one run for the latest missed tick; <c>skip</c> creates none and waits for the next tick.
    /// </summary>
    public string? MissedTicks { get; init; }
}
