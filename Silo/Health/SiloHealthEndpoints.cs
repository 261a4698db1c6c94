using TaskGrid.Silo.Membership;
using TaskGrid.Silo.Workers;

namespace TaskGrid.Silo.Health;

/// <summary><c>/healthz</c>: 200 while the silo is a cluster member and reaches the database, else 503.</summary>
internal static class SiloHealthEndpoints
{
    public static IEndpointRouteBuilder MapSiloHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (SiloContext silo, InFlightTasks inFlight, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var health = await grains.Cluster().GetHealthAsync(cancellationToken);
            var healthy = silo.IsMember && health.DatabaseReachable;
            var body = new SiloHealth(
                silo.Identity.Name,
                silo.Identity.Incarnation,
                silo.IsMember,
                inFlight.Count,
                health.DatabaseReachable,
                Math.Round(health.DatabaseLatencyMs, 2),
                health.DatabaseError);
            return Results.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private sealed record SiloHealth(string Silo, Guid Incarnation, bool Member, int InFlight, bool DatabaseReachable, double DatabaseLatencyMs, string? DatabaseError);
}
