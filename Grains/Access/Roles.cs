using TaskGrid.Access;

namespace TaskGrid.Grains.Access;

/// <summary>The database spelling of <see cref="CallerRole"/>.</summary>
internal static class Roles
{
    public static CallerRole Parse(string value) => value switch
    {
        "admin" => CallerRole.Admin,
        "user" => CallerRole.User,
        _ => throw new FormatException($"'{value}' is not a role."),
    };

    public static string ToName(CallerRole role) => role == CallerRole.Admin ? "admin" : "user";
}
