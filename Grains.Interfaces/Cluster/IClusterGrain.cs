namespace TaskGrid.Cluster;

/// <summary>The cluster's membership and health, read from the membership tables.</summary>
public interface IClusterGrain
{
    /// <summary>Every silo that has joined, alive ones first.</summary>
    Task<IReadOnlyList<SiloView>> ListSilosAsync(CancellationToken cancellationToken = default);

    /// <summary>Workers of live silos, or of one silo when <paramref name="silo"/> is given.</summary>
    Task<IReadOnlyList<WorkerView>> ListWorkersAsync(string? silo = null, CancellationToken cancellationToken = default);

    /// <summary>Tasks per kind and state across the cluster, from counters kept with every change (no table scan).</summary>
    Task<IReadOnlyList<TaskCount>> CountTasksAsync(CancellationToken cancellationToken = default);

    /// <summary>Database reachability and latency, migrations and live silos. Never throws for an unreachable database.</summary>
    Task<ClusterHealth> GetHealthAsync(CancellationToken cancellationToken = default);
}
