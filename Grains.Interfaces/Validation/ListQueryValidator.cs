using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Users;

namespace TaskGrid.Validation;

/// <summary>
/// Checks list filters that reach PostgreSQL as text. A filter holding a NUL or an unpaired
/// surrogate would otherwise fail the query itself (PostgreSQL refuses such text) and answer
/// 500; a value that cannot be an id is the caller's mistake, reported by parameter name.
/// </summary>
public static class ListQueryValidator
{
    private const string UserIdRule = "use 1-128 letters, digits, '.', '_', '@' or '-'";

    /// <summary>Longest silo name (a Kubernetes pod name).</summary>
    public const int SiloNameMaxLength = 63;

    /// <summary>Throws when the task filter's <c>user_id</c> cannot be a user id.</summary>
    public static void ThrowIfInvalid(TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new ValidationErrors();
        TextRules.Matches(errors, "user_id", query.UserId, TextRules.UserId(), UserIdRule);
        errors.ThrowIfAny();
    }

    /// <summary>Throws when the grid filter's <c>user_id</c> cannot be a user id.</summary>
    public static void ThrowIfInvalid(GridQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new ValidationErrors();
        TextRules.Matches(errors, "user_id", query.UserId, TextRules.UserId(), UserIdRule);
        errors.ThrowIfAny();
    }

    /// <summary>Throws when the artifact filter's <c>user_id</c> cannot be a user id.</summary>
    public static void ThrowIfInvalid(ArtifactQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new ValidationErrors();
        TextRules.Matches(errors, "user_id", query.UserId, TextRules.UserId(), UserIdRule);
        errors.ThrowIfAny();
    }

    /// <summary>Throws when the user list's cursor is not one the API returns (cursors of that list are user ids).</summary>
    public static void ThrowIfInvalid(UserQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!string.IsNullOrEmpty(query.Cursor) && !TextRules.UserId().IsMatch(query.Cursor))
        {
            throw new RequestValidationException("cursor", "is not a cursor this API returned; pass next_cursor from the previous page unchanged.");
        }
    }

    /// <summary>Throws when a silo filter holds text no silo name can have.</summary>
    public static void ThrowIfInvalidSilo(string? silo)
    {
        var errors = new ValidationErrors();
        TextRules.Optional(errors, "silo", silo, SiloNameMaxLength);
        errors.ThrowIfAny();
    }
}
