using TaskGrid.Cluster;

namespace TaskGrid.Gateway.Apis;

/// <summary>
/// <c>/v1/status</c>: liveness and readiness. Ready means the database answers and its schema
/// is current (200); no live silo makes the cluster "degraded" (still 200: the API works and
/// tasks wait); an unreachable database or an old schema is 503.
/// </summary>
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/status", async (IGrainFactory grains, CancellationToken cancellationToken) =>
            {
                var health = await grains.Cluster().GetHealthAsync(cancellationToken);
                var ready = health.DatabaseReachable && health.MigrationsCurrent;
                var status = !ready ? ClusterHealthStatus.Unhealthy : health.SilosAlive == 0 ? ClusterHealthStatus.Degraded : ClusterHealthStatus.Healthy;
                var body = new ClusterStatusView(
                    status,
                    Live: true,
                    Ready: ready,
                    new DatabaseStatus(health.DatabaseReachable, Math.Round(health.DatabaseLatencyMs, 2), health.DatabaseError),
                    new MigrationStatus(health.MigrationsCurrent, health.AppliedMigration, health.ExpectedMigration),
                    new SiloCounts(health.SilosAlive, health.SilosDead));
                return TypedResults.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .WithTags("Status").WithSummary("Liveness and readiness");
        return endpoints;
    }
}
