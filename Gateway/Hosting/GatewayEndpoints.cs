using TaskGrid.Gateway.Apis;
using TaskGrid.Grains.Diagnostics;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Every route the gateway serves.</summary>
internal static class GatewayEndpoints
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        // Built now, so that it hears every request from the first one on.
        app.Services.GetRequiredService<MetricsCollector>();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebPages();
        app.UseRequestSizeLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseReadableCharsets();
        app.MapOpenApi(OpenApiDocumentation.DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal)).AllowAnonymous();
        app.MapWebPages();
        app.MapStatusApi();
        app.MapMetricsApi();
        app.MapTasksApi();
        app.MapGridsApi();
        app.MapArtifactsApi();
        app.MapClusterApi();
        app.MapDashboardApi();
        app.MapUsersApi();
        app.MapApiKeysApi();
        return app;
    }
}
