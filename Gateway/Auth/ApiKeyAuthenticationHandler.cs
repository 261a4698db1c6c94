using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TaskGrid.Access;
using TaskGrid.Grains.Access;

namespace TaskGrid.Gateway.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>. The key is
/// never logged or echoed; failures answer 401 (no or bad key) or 403 (a user's key on an
/// admin route) as problem+json.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "taskgrid:key_id";
    private const int MaxKeyLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key;
        if (Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
            }
            key = authorization["Bearer ".Length..].Trim();
        }
        else
        {
            key = Request.Headers["X-Api-Key"].ToString().Trim();
        }
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }
        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }
        var found = await authenticator.AuthenticateAsync(key, Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("The API key is not valid: it is unknown, revoked, or its user is disabled.");
        }
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, found.Caller.UserId),
            new(ClaimTypes.Role, found.Caller.Role == CallerRole.Admin ? AuthPolicies.AdminRole : AuthPolicies.UserRole),
            new(KeyIdClaim, found.KeyId?.ToString() ?? "bootstrap"),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required",
                Detail = result.Failure?.Message ?? "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. An admin creates keys with POST /v1/users/{id}/api-keys.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed",
                Detail = "This needs an admin key.",
            },
        });
    }
}
