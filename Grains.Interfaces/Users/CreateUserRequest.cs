using TaskGrid.Access;

namespace TaskGrid.Users;

/// <summary>A new user (admins only).</summary>
public sealed record CreateUserRequest
{
    /// <summary>A display name, 1..200 characters.</summary>
    public string? Name { get; init; }

    /// <summary><c>user</c> (sees only their own resources) or <c>admin</c>. Default: user.</summary>
    public CallerRole? Role { get; init; }

    /// <summary>Most pending tasks this user may have; null for the cluster default.</summary>
    public int? MaxPendingTasks { get; init; }
}
