using TaskGrid.Cluster;

namespace TaskGrid.Observability;

/// <summary>The dashboard's headline numbers, in one answer (<c>GET /v1/dashboard/summary</c>).</summary>
/// <param name="Scope"><c>cluster</c> for an admin; <c>own</c> for a user, whose task counts are their own.</param>
/// <param name="Tasks">Tasks per state, in the scope.</param>
/// <param name="CompletedPerSecond">Cluster-wide tasks completed per second over the last minute.</param>
/// <param name="FailedPerSecond">Cluster-wide failed attempts per second over the last minute.</param>
/// <param name="Silos">Live and dead silos.</param>
/// <param name="Workers">Workers of live silos.</param>
/// <param name="InFlight">Tasks running on live silos.</param>
/// <param name="GeneratedAt">When the numbers were read.</param>
public sealed record DashboardSummary(
    string Scope,
    TaskStateCounts Tasks,
    double CompletedPerSecond,
    double FailedPerSecond,
    SiloCounts Silos,
    int Workers,
    int InFlight,
    DateTimeOffset GeneratedAt);
