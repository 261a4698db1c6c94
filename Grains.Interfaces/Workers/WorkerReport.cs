namespace TaskGrid.Workers;

/// <summary>A worker's periodic report of its own counters.</summary>
/// <param name="InFlight">Tasks running now.</param>
/// <param name="Claimed">Tasks claimed since start.</param>
/// <param name="Completed">Tasks completed since start.</param>
/// <param name="Failed">Attempts failed since start.</param>
public sealed record WorkerReport(int InFlight, long Claimed, long Completed, long Failed);
