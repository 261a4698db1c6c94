namespace TaskGrid.Gateway.Auth;

/// <summary>Authorization policy and role names.</summary>
internal static class AuthPolicies
{
    public const string Admin = "admin";
    public const string AdminRole = "admin";
    public const string UserRole = "user";
}
