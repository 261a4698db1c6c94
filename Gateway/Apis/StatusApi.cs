using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Cluster;

namespace TaskGrid.Gateway.Apis;

/// <summary>
/// Health. <c>/v1/status</c> is readiness with details: ready means the database answers and its
/// schema is current (200); no live silo makes the cluster "degraded" (still 200: the API works
/// and tasks wait); an unreachable database or an old schema is 503. <c>/livez</c> is liveness:
/// it answers as long as the process serves HTTP and never touches the database, so that a
/// database outage does not make Kubernetes restart every gateway.
/// </summary>
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/status", async Task<JsonHttpResult<ClusterStatusView>> (IGrainFactory grains, CancellationToken cancellationToken) =>
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
            .WithTags("Health")
            .WithSummary("Readiness and liveness of the cluster")
            .WithDescription("Database reachable (with latency), schema migrations current, silos alive. 200 when ready (`healthy`, or `degraded` when no silo is alive: the API works and tasks wait); 503 with the same body when not ready. No key needed.")
            .Produces<ClusterStatusView>(StatusCodes.Status200OK)
            .Produces<ClusterStatusView>(StatusCodes.Status503ServiceUnavailable);

        endpoints.MapGet("/livez", () => TypedResults.Ok(new Liveness("live")))
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("Liveness of this gateway process")
            .WithDescription("Answers 200 while the process serves HTTP. It does not touch the database: use it for Kubernetes liveness probes, and /v1/status for readiness.");
        return endpoints;
    }

    /// <summary>The answer of <c>/livez</c>.</summary>
    /// <param name="Status">Always <c>live</c>.</param>
    internal sealed record Liveness(string Status);
}
