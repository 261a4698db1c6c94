using TaskGrid.Gateway.Apis;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Every route the gateway serves.</summary>
internal static class GatewayEndpoints
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestSizeLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseReadableCharsets();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapStatusApi();
        app.MapTasksApi();
        app.MapGridsApi();
        app.MapArtifactsApi();
        app.MapClusterApi();
        app.MapUsersApi();
        app.MapApiKeysApi();
        return app;
    }
}
