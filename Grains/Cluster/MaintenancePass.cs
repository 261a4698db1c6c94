namespace TaskGrid.Grains.Cluster;

/// <summary>What one maintenance pass changed.</summary>
/// <param name="SilosDeclaredDead">Silos whose heartbeat was too old.</param>
/// <param name="LeasesReaped">Running tasks whose lease lapsed or whose silo died, requeued or failed.</param>
/// <param name="TasksExpired">Pending tasks past their TTL.</param>
public sealed record MaintenancePass(IReadOnlyList<string> SilosDeclaredDead, int LeasesReaped, int TasksExpired);
