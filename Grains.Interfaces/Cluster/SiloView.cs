namespace TaskGrid.Cluster;

/// <summary>A silo process in the membership table.</summary>
/// <param name="Name">Its unique name (the pod name under Kubernetes).</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="ProcessId">Its operating-system process id.</param>
/// <param name="State">Its membership state.</param>
/// <param name="StartedAt">When this incarnation started.</param>
/// <param name="HeartbeatAt">Its last heartbeat.</param>
/// <param name="HeartbeatAgeSeconds">Seconds since its last heartbeat, by the database clock.</param>
/// <param name="Workers">Its worker count.</param>
/// <param name="InFlight">Tasks its workers are running.</param>
public sealed record SiloView(
    string Name,
    string Host,
    int ProcessId,
    SiloState State,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    double HeartbeatAgeSeconds,
    int Workers,
    int InFlight);
