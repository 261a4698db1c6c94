using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Users;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/api-keys</c>: list and revoke keys (admins: all; users: their own).</summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/api-keys").WithTags("Users");
        group.MapGet("/", async Task<Ok<IReadOnlyList<ApiKeyView>>> (HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
                TypedResults.Ok(await grains.Catalog().ListApiKeysAsync(context.Caller(), cancellationToken)))
            .WithSummary("API keys without secrets: all for admins, your own for users");
        group.MapGet("/{id:guid}", async Task<Ok<ApiKeyView>> (Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
                TypedResults.Ok(await grains.ApiKey(id).GetAsync(context.Caller(), cancellationToken)))
            .WithSummary("Get an API key, without its secret").ProducesProblems(404);
        group.MapDelete("/{id:guid}", async Task<Ok<ApiKeyView>> (Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
                TypedResults.Ok(await grains.ApiKey(id).RevokeAsync(context.Caller(), cancellationToken)))
            .WithSummary("Revoke an API key; it stops working within seconds").ProducesProblems(404, 409);
        return group;
    }
}
