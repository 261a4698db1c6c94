using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.RateLimits;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/limits</c>: the cluster-wide rate limiters; everyone reads them, admins change them without a restart.</summary>
internal static class LimitsApi
{
    public static RouteGroupBuilder MapLimitsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/limits").WithTags("Rate limits");

        group.MapGet("/", ListAsync).WithSummary("Every rate limiter with its use in the current window");
        group.MapGet("/{name}", GetAsync).WithSummary("One rate limiter with its use").ProducesProblems(400, 404);
        group.MapPut("/{name}", PutAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Create or replace a rate limiter (admins)")
            .WithDescription("Applies to the next permit in every silo. Codegen calls take permits from the limiter named `openai` (TaskGrid:OpenAI:RateLimiter).")
            .ProducesProblems(400, 403);
        group.MapPatch("/{name}", UpdateAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Change some of a rate limiter's settings (admins)").ProducesProblems(400, 403, 404);
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Delete a rate limiter (admins); what it limited runs unlimited").ProducesProblems(400, 403, 404);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<RateLimitView>>> ListAsync(HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Catalog().ListRateLimitsAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<RateLimitView>> GetAsync(string name, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.RateLimit(name).GetAsync(context.Caller(), cancellationToken));

    private static async Task<Results<Created<RateLimitView>, Ok<RateLimitView>>> PutAsync(string name, RateLimitRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (view, created) = await grains.RateLimit(name).PutAsync(context.Caller(), request, cancellationToken);
        return created ? TypedResults.Created($"/v1/limits/{view.Name}", view) : TypedResults.Ok(view);
    }

    private static async Task<Ok<RateLimitView>> UpdateAsync(string name, RateLimitRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.RateLimit(name).UpdateAsync(context.Caller(), request, cancellationToken));

    private static async Task<NoContent> DeleteAsync(string name, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        await grains.RateLimit(name).DeleteAsync(context.Caller(), cancellationToken);
        return TypedResults.NoContent();
    }
}
