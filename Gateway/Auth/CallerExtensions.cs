using System.Security.Claims;
using TaskGrid.Access;

namespace TaskGrid.Gateway.Auth;

/// <summary>The authenticated caller of a request, for grain calls.</summary>
internal static class CallerExtensions
{
    public static Caller Caller(this HttpContext context)
    {
        var user = context.User;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The endpoint was reached without an authenticated caller; it must require authorization.");
        return new Caller(id, user.IsInRole(AuthPolicies.AdminRole) ? CallerRole.Admin : CallerRole.User);
    }
}
