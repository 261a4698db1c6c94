namespace TaskGrid.Grains.Retention;

/// <summary>How long logs and finished tasks are kept. Section <c>TaskGrid:Retention</c>.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Retention";

    /// <summary>Whether the silos delete old data at all. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Log lines older than this are deleted, whatever their task's state. Default: 7 days.</summary>
    public TimeSpan LogMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Tasks finished (completed, failed, cancelled, expired) longer ago than this are deleted
    /// with their events, log lines and output links; outputs no task links to any more, and
    /// that their owner never uploaded, go with them. Grids keep their counts. Default: 30 days.
    /// </summary>
    public TimeSpan TaskMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often a silo offers to do the retention duty (one silo at a time does). Default: 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most rows one statement deletes, so that no pass holds locks or bloats WAL for long. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Most batches per kind of data in one pass; the rest waits for the next pass. Default: 20.</summary>
    public int MaxBatchesPerPass { get; set; } = 20;

    /// <summary>
    /// How long a pass may leave its connection idle between two statements (its silo frozen,
    /// or waiting on the artifact store) before PostgreSQL closes the connection, which frees
    /// the duty for another silo. Default: 5 minutes.
    /// </summary>
    public TimeSpan StalledPassTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
