using System.Text.RegularExpressions;
using TaskGrid.RateLimits;

namespace TaskGrid.Validation;

/// <summary>Checks rate limiter names and settings.</summary>
public static partial class RateLimitValidator
{
    /// <summary>Most requests per minute a limiter takes.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    /// <summary>Most tokens per minute a limiter takes.</summary>
    public const int MaxTokensPerMinute = 1_000_000_000;

    /// <summary>Throws naming the problem when <paramref name="name"/> is not a limiter name.</summary>
    public static void ThrowIfBadName(string? name)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            errors.Add("name", "a limiter name is 1-64 lowercase letters, digits, '.', '_', ':' or '-', starting with a letter or digit (for example 'openai').");
        }
        errors.ThrowIfAny();
    }

    /// <summary>Throws naming every bad field; <paramref name="replace"/> is true for PUT (requests_per_minute required).</summary>
    public static void ThrowIfInvalid(RateLimitRequest? request, bool replace)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object, for example {\"requests_per_minute\": 600}.");
            errors.ThrowIfAny();
            return;
        }
        if (replace && request.RequestsPerMinute is null)
        {
            errors.Add("requests_per_minute", "is required, for example 600.");
        }
        if (replace && request.ClearTokensPerMinute is not null)
        {
            errors.Add("clear_tokens_per_minute", "only applies to PATCH; leave tokens_per_minute out instead.");
        }
        if (request.TokensPerMinute is not null && request.ClearTokensPerMinute == true)
        {
            errors.Add("clear_tokens_per_minute", "give either tokens_per_minute or clear_tokens_per_minute, not both.");
        }
        if (!replace && request.RequestsPerMinute is null && request.TokensPerMinute is null && request.WindowSeconds is null && request.ClearTokensPerMinute != true)
        {
            errors.Add("body", "changes nothing; give requests_per_minute, tokens_per_minute, clear_tokens_per_minute or window_seconds.");
        }
        TextRules.InRange(errors, "requests_per_minute", request.RequestsPerMinute, 1, MaxRequestsPerMinute);
        TextRules.InRange(errors, "tokens_per_minute", request.TokensPerMinute, 1, MaxTokensPerMinute);
        TextRules.InRange(errors, "window_seconds", request.WindowSeconds, 1, 3600);
        errors.ThrowIfAny();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._:-]{0,63}$")]
    private static partial Regex NamePattern();
}
