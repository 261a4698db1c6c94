namespace TaskGrid.Bench.Results;

/// <summary>The systems a result row can be about, as <c>latest.json</c> names them.</summary>
internal static class SystemNames
{
    public const string TaskGrid = "taskgrid";
    public const string GraphileWorker = "graphile-worker";
    public const string PgBoss = "pg-boss";
    public const string Postgres = "postgres";

    /// <summary>The job queues TaskGrid is compared with.</summary>
    public static readonly IReadOnlyList<string> Peers = [GraphileWorker, PgBoss];
}

/// <summary>The workloads, as <c>latest.json</c> names them.</summary>
internal static class WorkloadNames
{
    public const string Drain = "drain";
    public const string Steady = "steady";
    public const string Pickup = "pickup";
    public const string Codegen = "codegen";
    public const string Scale = "scale";
    public const string Footprint = "footprint";

    public static readonly IReadOnlyList<string> All = [Drain, Steady, Pickup, Codegen, Scale, Footprint];
}
