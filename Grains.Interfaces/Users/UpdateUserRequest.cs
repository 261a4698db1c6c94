using TaskGrid.Access;

namespace TaskGrid.Users;

/// <summary>Changes to a user (admins only); fields left out stay as they are.</summary>
public sealed record UpdateUserRequest
{
    /// <summary>A new display name.</summary>
    public string? Name { get; init; }

    /// <summary>A new role.</summary>
    public CallerRole? Role { get; init; }

    /// <summary>True disables the user: their keys stop working at once; false enables them again.</summary>
    public bool? Disabled { get; init; }

    /// <summary>A new cap on pending tasks; 0 returns to the cluster default.</summary>
    public int? MaxPendingTasks { get; init; }
}
