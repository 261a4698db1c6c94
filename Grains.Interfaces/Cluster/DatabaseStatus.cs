namespace TaskGrid.Cluster;

/// <summary>The database as <c>GET /v1/status</c> reports it.</summary>
/// <param name="Reachable">Whether PostgreSQL answered.</param>
/// <param name="LatencyMs">Round-trip time of a trivial query, in milliseconds.</param>
/// <param name="Error">Why it did not answer, if it did not.</param>
public sealed record DatabaseStatus(bool Reachable, double LatencyMs, string? Error);
