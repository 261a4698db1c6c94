namespace TaskGrid.Cluster;

/// <summary>The schema version as <c>GET /v1/status</c> reports it.</summary>
/// <param name="Current">Whether the database has every migration this build knows.</param>
/// <param name="Applied">The newest migration applied to the database.</param>
/// <param name="Expected">The newest migration this build knows.</param>
public sealed record MigrationStatus(bool Current, int Applied, int Expected);
