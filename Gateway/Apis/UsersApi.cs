using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Paging;
using TaskGrid.Users;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/users</c>: admins manage users; everyone reads themself and manages their own keys.</summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/users").WithTags("Users");

        group.MapPost("/", CreateAsync).RequireAuthorization(AuthPolicies.Admin).WithSummary("Create a user (admins)").ProducesProblems(400, 403);
        group.MapGet("/", ListAsync).RequireAuthorization(AuthPolicies.Admin).WithSummary("List users (admins)").ProducesProblems(400, 403);
        group.MapGet("/me", (HttpContext context, IGrainFactory grains, CancellationToken ct) => GetAsync(context.Caller().UserId, context, grains, ct))
            .WithSummary("The calling user");
        group.MapGet("/{id}", GetAsync).WithSummary("Get a user (admins, or the user themself)").ProducesProblems(404);
        group.MapPatch("/{id}", UpdateAsync).RequireAuthorization(AuthPolicies.Admin).WithSummary("Change a user's name, role, cap or disabled state (admins)").ProducesProblems(400, 403, 404, 409);
        group.MapPost("/{id}/api-keys", CreateKeyAsync)
            .WithSummary("Create an API key for a user")
            .WithDescription("The answer's `key` field holds the key. It is shown only this once and stored as a hash.")
            .ProducesProblems(400, 403, 404);
        group.MapGet("/{id}/api-keys", ListKeysAsync).WithSummary("A user's API keys, without secrets").ProducesProblems(404);
        return group;
    }

    private static async Task<Created<UserView>> CreateAsync(CreateUserRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var user = await grains.User(Guid.CreateVersion7().ToString()).CreateAsync(context.Caller(), request, cancellationToken);
        return TypedResults.Created($"/v1/users/{user.Id}", user);
    }

    private static async Task<Ok<Page<UserView>>> ListAsync(HttpContext context, IGrainFactory grains, CancellationToken cancellationToken, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await grains.Catalog().ListUsersAsync(context.Caller(), new UserQuery(ListQueryParser.Limit(limit), cursor), cancellationToken));

    private static async Task<Ok<UserView>> GetAsync(string id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.User(id).GetAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<UserView>> UpdateAsync(string id, UpdateUserRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.User(id).UpdateAsync(context.Caller(), request, cancellationToken));

    private static async Task<Created<CreatedApiKey>> CreateKeyAsync(string id, CreateApiKeyRequest? request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var key = await grains.User(id).CreateApiKeyAsync(context.Caller(), request ?? new CreateApiKeyRequest(), cancellationToken);
        return TypedResults.Created($"/v1/api-keys/{key.Id}", key);
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyView>>> ListKeysAsync(string id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.User(id).ListApiKeysAsync(context.Caller(), cancellationToken));
}
