namespace TaskGrid.Access;

/// <summary>Who is making a grain call. Grains use it to scope every read and write to the owner.</summary>
/// <param name="UserId">The calling user's id.</param>
/// <param name="Role">The calling user's role.</param>
public sealed record Caller(string UserId, CallerRole Role)
{
    /// <summary>The cluster itself (silo services, migrations, the demo): sees everything.</summary>
    public static Caller System { get; } = new("system", CallerRole.Admin);

    /// <summary>Whether the caller sees and changes every user's resources.</summary>
    public bool IsAdmin => Role == CallerRole.Admin;

    /// <summary>The owner every query must be restricted to, or null when the caller sees all.</summary>
    public string? OwnerScope => IsAdmin ? null : UserId;
}
