namespace TaskGrid.Silo.Workers;

/// <summary>How this silo's workers claim and run tasks. Section <c>TaskGrid:Worker</c>.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Worker";

    /// <summary>Worker grains (claim loops) in this silo. Default: 2.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Most tasks one worker runs at once. Default: 16.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Most tasks one claim takes. Larger batches raise throughput for short tasks. Default: 10.</summary>
    public int Prefetch { get; set; } = 10;

    /// <summary>How long a claim holds a task before another worker may take it, unless renewed. Default: 30 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often held leases are renewed. Default: 10 seconds.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an attempt runs before its task is written running. A claim leaves task rows
    /// pending (outside grids with a concurrency limit), so that a task finishing sooner is written
    /// once; until then the API shows it pending. Zero writes every attempt running as it starts.
    /// Default: 1 second.
    /// </summary>
    public TimeSpan MarkRunningAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle worker looks for work when no notification arrives. Default: 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most acknowledgements written in one statement. Default: 500.</summary>
    public int AckBatchSize { get; set; } = 500;

    /// <summary>On shutdown, how long running tasks may take to finish before they are stopped and handed back. Default: 20 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The retry delay after a first failed attempt (doubling, with jitter, per attempt). Default: 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay, unless an endpoint asks for longer. Default: 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
