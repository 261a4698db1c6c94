using TaskGrid.Gateway.Hosting;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/silos</c> and <c>/v1/workers</c>: the cluster's members.</summary>
internal static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/silos", async (IGrainFactory grains, CancellationToken cancellationToken) =>
                TypedResults.Ok(await grains.Cluster().ListSilosAsync(cancellationToken)))
            .WithTags("Cluster").WithSummary("Silos in the membership table, alive first");
        endpoints.MapGet("/v1/workers", async (IGrainFactory grains, CancellationToken cancellationToken, string? silo = null) =>
                TypedResults.Ok(await grains.Cluster().ListWorkersAsync(silo, cancellationToken)))
            .WithTags("Cluster").WithSummary("Workers of live silos, or of one silo").ProducesProblems(StatusCodes.Status400BadRequest);
        return endpoints;
    }
}
