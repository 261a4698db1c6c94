using TaskGrid.Gateway.Apis;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Every route the gateway serves.</summary>
internal static class GatewayEndpoints
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapStatusApi();
        app.MapTasksApi();
        app.MapGridsApi();
        app.MapClusterApi();
        return app;
    }
}
