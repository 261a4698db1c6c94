namespace TaskGrid.Cluster;

/// <summary>The cluster's overall health in <see cref="ClusterStatusView"/>.</summary>
public enum ClusterHealthStatus
{
    /// <summary>The database answers, the schema is current and at least one silo is alive.</summary>
    Healthy,

    /// <summary>Ready, but no silo is alive: the API works and tasks wait.</summary>
    Degraded,

    /// <summary>The database does not answer or its schema is old; the gateway answers 503.</summary>
    Unhealthy,
}
