namespace TaskGrid.Cluster;

/// <summary>A worker grain: one claim loop of a silo.</summary>
/// <param name="Id">Its id, <c>{silo}/{n}</c>.</param>
/// <param name="Silo">The silo that hosts it.</param>
/// <param name="State">Its state (follows its silo's).</param>
/// <param name="HeartbeatAt">When it last reported.</param>
/// <param name="InFlight">Tasks it is running.</param>
/// <param name="Claimed">Tasks it has claimed since it started.</param>
/// <param name="Completed">Tasks it has completed since it started.</param>
/// <param name="Failed">Attempts that failed since it started.</param>
public sealed record WorkerView(
    string Id,
    string Silo,
    SiloState State,
    DateTimeOffset HeartbeatAt,
    int InFlight,
    long Claimed,
    long Completed,
    long Failed);
