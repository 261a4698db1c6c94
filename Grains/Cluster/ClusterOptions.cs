namespace TaskGrid.Grains.Cluster;

/// <summary>Membership and maintenance timing, shared by silos and gateways. Section <c>TaskGrid:Cluster</c>.</summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Cluster";

    /// <summary>How often a silo writes its heartbeat. Default: 5 seconds.</summary>
    public TimeSpan SiloHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A silo whose heartbeat is older than this is declared dead and its leases reaped. Default: 30 seconds.</summary>
    public TimeSpan SiloDeadAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the maintenance duty (dead silos, lost leases, TTL expiry) runs. Default: 2 seconds.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most tasks one maintenance statement changes. Default: 1,000.</summary>
    public int MaintenanceBatchSize { get; set; } = 1000;

    /// <summary>How often the scheduler duties (grid windows, template ticks, rate-limit housekeeping) run. Default: 1 second.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A template tick older than this when the scheduler reaches it counts as missed (the cluster
    /// was down) and its template's missed-tick policy decides. Default: 1 minute.
    /// </summary>
    public TimeSpan MissedTickAfter { get; set; } = TimeSpan.FromMinutes(1);
}
