using System.Text;
using Microsoft.Extensions.Options;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grains.Access;
using TaskGrid.Grains.Diagnostics;

namespace TaskGrid.Gateway.Apis;

/// <summary>
/// <c>/v1/metrics</c>: Prometheus text format 0.0.4. Cluster-wide figures come from PostgreSQL
/// (task counters, membership, and the counters and histograms every silo publishes there);
/// this gateway's own figures (HTTP requests by route and status code, CPU, memory, GC) come
/// from its in-process instruments. Open to scrapers unless
/// <see cref="AuthOptions.RequireKeyForMetrics"/>, then an admin key is needed.
/// </summary>
internal static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        var route = endpoints.MapGet("/v1/metrics", async (HttpContext context, IGrainFactory grains, MetricsCollector collector, CancellationToken cancellationToken) =>
            {
                var cluster = await grains.Metrics().GetClusterMetricsAsync(cancellationToken);
                var own = PrometheusText.ToFamilies(collector.Collect()).Concat(ProcessMetrics.Standard());
                var text = new StringWriter(new StringBuilder(32 * 1024));
                await PrometheusText.WriteAsync(text, cluster.Concat(own));
                return TypedResults.Text(text.ToString(), PrometheusText.ContentType, Encoding.UTF8);
            })
            .WithTags("Health")
            .WithSummary("Prometheus metrics")
            .WithDescription("""
                Prometheus text format 0.0.4. Cluster-wide, from PostgreSQL: `taskgrid_tasks{kind,status}`, `taskgrid_queue_depth`,
                `taskgrid_silos{state}`, `taskgrid_workers`, `taskgrid_tasks_in_flight`, the silos' counters summed
                (`taskgrid_tasks_claimed_total`, `_completed_total`, `_failed_total`, `_retried_total`, `_expired_total`,
                `_redelivered_total{reason}`, `taskgrid_acks_refused_total`, `taskgrid_openai_calls_total`, `_errors_total`, `_tokens_total`),
                the histograms `taskgrid_task_claim_latency_seconds` and `taskgrid_task_run_duration_seconds`,
                `taskgrid_task_throughput_per_second` and each live silo's CPU, memory and GC. This gateway's own:
                `http_server_request_duration_seconds{http_route,http_response_status_code}` (its `_count` is requests by route and code),
                `process_*` and `dotnet_*` (CPU, memory, GC). Open without a key unless TaskGrid:Auth:RequireKeyForMetrics is set, then it needs an admin key.
                """)
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        var requireKey = endpoints.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.RequireKeyForMetrics;
        if (requireKey)
        {
            route.RequireAuthorization(AuthPolicies.Admin).ProducesProblems(StatusCodes.Status403Forbidden);
        }
        else
        {
            route.AllowAnonymous();
        }
        return endpoints;
    }
}
