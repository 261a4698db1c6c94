using Microsoft.AspNetCore.Http.Json;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Errors;
using TaskGrid.Grains;
using TaskGrid.Serialization;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Wires the gateway: grains in-process, JSON conventions, problem details, request limits and the OpenAPI document.</summary>
internal static class GatewayServiceCollectionExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

        services.AddTaskGridGrains("taskgrid-gateway");
        services.Configure<JsonOptions>(options => TaskGridJson.Configure(options.SerializerOptions, gateway.MaxJsonDepth));
        // Binding failures (malformed JSON, wrong types, a body too large) become exceptions
        // that ProblemExceptionHandler answers with the field that is wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddApiKeyAuth();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.PermitsPerSecond >= 1 && o.Burst >= o.PermitsPerSecond && o.AnonymousPermitsPerSecond >= 1,
                "TaskGrid:Gateway:RateLimit needs PermitsPerSecond >= 1, Burst >= PermitsPerSecond and AnonymousPermitsPerSecond >= 1.")
            .ValidateOnStart();
        services.AddPerKeyRateLimits(builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions());
        services.AddTaskGridOpenApi();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = gateway.MaxRequestBodyBytes);
        return builder;
    }
}
