namespace TaskGrid.Cluster;

/// <summary>
/// The answer of <c>GET /v1/status</c>: liveness and readiness of the cluster as the gateway sees
/// it. Shared by the gateway and the client SDK.
/// </summary>
/// <param name="Status">Healthy, degraded (no live silo: the API works and tasks wait) or unhealthy.</param>
/// <param name="Live">Whether the gateway answers at all (always true in an answer).</param>
/// <param name="Ready">Whether the database answers and its schema is current.</param>
/// <param name="Database">The database's reachability and latency.</param>
/// <param name="Migrations">Whether the schema is the one this build expects.</param>
/// <param name="Silos">Live and dead silos.</param>
public sealed record ClusterStatusView(
    ClusterHealthStatus Status,
    bool Live,
    bool Ready,
    DatabaseStatus Database,
    MigrationStatus Migrations,
    SiloCounts Silos);
