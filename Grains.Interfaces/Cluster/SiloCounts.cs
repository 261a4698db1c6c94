namespace TaskGrid.Cluster;

/// <summary>Silos by liveness, as <c>GET /v1/status</c> reports them.</summary>
/// <param name="Alive">Silos in the active or draining state.</param>
/// <param name="Dead">Silos declared dead.</param>
public sealed record SiloCounts(int Alive, int Dead);
