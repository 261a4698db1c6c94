namespace TaskGrid.Grains.Persistence;

/// <summary>Where the cluster's PostgreSQL is and how to use it. Section <c>TaskGrid:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Database";

    /// <summary>
    /// An Npgsql connection string or a <c>postgres://user:password@host:port/database</c> URL.
    /// Falls back to the <c>TASKGRID_DATABASE_URL</c> and then the <c>DATABASE_URL</c> environment
    /// variables. Required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start-up, under an advisory lock. Default: true.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Most pooled connections per process. Default: 50.</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>How long to wait for a connection to open. Default: 15 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one statement may run before it is cancelled. Default: 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long PostgreSQL lets one of this process's transactions sit idle between statements
    /// before it ends the session and releases its locks (<c>idle_in_transaction_session_timeout</c>).
    /// Every turn sends its statements back to back, so only a stalled process (frozen, starved,
    /// cut off with its connection still open) reaches it; without it, such a process keeps the
    /// locks it holds, the cluster duty's lock among them, for as long as it stalls. Keep it well
    /// below <c>TaskGrid:Cluster:SiloDeadAfter</c>. Default: 10 seconds.
    /// </summary>
    public TimeSpan IdleInTransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
