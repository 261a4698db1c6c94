using System.Text.RegularExpressions;

namespace TaskGrid.Validation;

/// <summary>
/// Checks for text that PostgreSQL or the API cannot take: NUL characters (refused by
/// <c>text</c> columns), unpaired UTF-16 surrogates (not encodable as UTF-8), and lengths.
/// </summary>
public static partial class TextRules
{
    /// <summary>Checks a required free-text field.</summary>
    public static void Required(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required and must not be blank.");
            return;
        }
        Optional(errors, field, value, maxLength);
    }

    /// <summary>Checks an optional free-text field when present.</summary>
    public static void Optional(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }
        if (value.Length > maxLength)
        {
            errors.Add(field, $"is {value.Length} characters long; the limit is {maxLength}.");
        }
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(field, "must not contain NUL (\\u0000) characters.");
        }
        if (HasUnpairedSurrogate(value))
        {
            errors.Add(field, "contains an unpaired UTF-16 surrogate and is not valid Unicode text.");
        }
    }

    /// <summary>Checks a name against a pattern, explaining the pattern in words.</summary>
    public static void Matches(ValidationErrors errors, string field, string? value, Regex pattern, string rule)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            errors.Add(field, $"'{Shorten(value)}' is not allowed: {rule}.");
        }
    }

    /// <summary>Records an error when <paramref name="value"/> lies outside the years 2000..2200 (PostgreSQL takes more, people do not mean it).</summary>
    public static void ReasonableTime(ValidationErrors errors, string field, DateTimeOffset? value)
    {
        if (value is { } time && (time < TaskLimits.EarliestTime || time >= TaskLimits.LatestTime))
        {
            errors.Add(field, $"{time:O} is out of range; give an ISO 8601 time between 2000 and 2200, for example {TaskLimits.EarliestTime.AddYears(26):yyyy-MM-ddTHH:mm:ssZ}.");
        }
    }

    /// <summary>Checks an optional integer against an inclusive range.</summary>
    public static void InRange(ValidationErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"must be between {min} and {max}; got {v}.");
        }
    }

    /// <summary>User ids: letters, digits and <c>. _ @ -</c>, 1..128 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9._@-]{1,128}$")]
    public static partial Regex UserId();

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }
                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
