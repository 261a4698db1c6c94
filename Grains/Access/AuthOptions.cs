namespace TaskGrid.Grains.Access;

/// <summary>API key authentication. Section <c>TaskGrid:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Auth";

    /// <summary>
    /// A key that always authenticates as the built-in admin (<see cref="BootstrapAdminUserId"/>),
    /// for creating the first users and keys. Keep it in a secret; at least 20 characters. Default: none.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>The user id of the built-in admin. Default: <c>admin</c>.</summary>
    public string BootstrapAdminUserId { get; set; } = "admin";

    /// <summary>How long a gateway trusts a key it has checked before asking the database again (revocation takes at most this long). Default: 5 seconds.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <c>/v1/metrics</c> needs an admin key. Default: false (Prometheus scrapes it without one).</summary>
    public bool RequireKeyForMetrics { get; set; }
}
