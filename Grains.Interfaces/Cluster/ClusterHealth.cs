namespace TaskGrid.Cluster;

/// <summary>What the cluster's readiness depends on.</summary>
/// <param name="DatabaseReachable">Whether PostgreSQL answered.</param>
/// <param name="DatabaseLatencyMs">Round-trip time of a trivial query, in milliseconds.</param>
/// <param name="DatabaseError">Why the database did not answer, if it did not.</param>
/// <param name="AppliedMigration">The newest migration applied to the database.</param>
/// <param name="ExpectedMigration">The newest migration this build knows.</param>
/// <param name="SilosAlive">Silos in the active or draining state.</param>
/// <param name="SilosDead">Silos declared dead.</param>
public sealed record ClusterHealth(
    bool DatabaseReachable,
    double DatabaseLatencyMs,
    string? DatabaseError,
    int AppliedMigration,
    int ExpectedMigration,
    int SilosAlive,
    int SilosDead)
{
    /// <summary>Whether the schema is the one this build expects.</summary>
    public bool MigrationsCurrent => AppliedMigration >= ExpectedMigration;
}
