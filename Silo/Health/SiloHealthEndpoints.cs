using System.Text;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Silo.Membership;
using TaskGrid.Silo.Workers;

namespace TaskGrid.Silo.Health;

/// <summary>
/// The silo's small HTTP surface, for Kubernetes and Prometheus:
/// <c>/livez</c> (liveness: the process answers; never touches the database, so a database
/// outage does not restart every silo), <c>/healthz</c> (readiness: a cluster member, not
/// draining, that reaches the database; 503 otherwise) and <c>/metrics</c> (this process's
/// instruments in the Prometheus text format).
/// </summary>
internal static class SiloHealthEndpoints
{
    public static IEndpointRouteBuilder MapSiloHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/livez", (SiloContext silo) => Results.Json(new SiloLiveness("live", silo.Identity.Name)));
        endpoints.MapGet("/healthz", async (SiloContext silo, InFlightTasks inFlight, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var health = await grains.Cluster().GetHealthAsync(cancellationToken);
            var ready = silo.IsReady && health.DatabaseReachable;
            var body = new SiloHealth(
                silo.Identity.Name,
                silo.Identity.Incarnation,
                ready,
                silo.IsMember,
                silo.IsDraining,
                inFlight.Count,
                health.DatabaseReachable,
                Math.Round(health.DatabaseLatencyMs, 2),
                health.DatabaseError);
            return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/metrics", async (HttpContext context, MetricsCollector collector) =>
        {
            var families = PrometheusText.ToFamilies(collector.Collect()).Concat(ProcessMetrics.Standard());
            context.Response.ContentType = PrometheusText.ContentType;
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
            await PrometheusText.WriteAsync(writer, families);
        });
        return endpoints;
    }

    private sealed record SiloLiveness(string Status, string Silo);

    private sealed record SiloHealth(
        string Silo, Guid Incarnation, bool Ready, bool Member, bool Draining, int InFlight,
        bool DatabaseReachable, double DatabaseLatencyMs, string? DatabaseError);
}
