namespace TaskGrid.RateLimits;

/// <summary>A cluster-wide rate limiter and how much of it is in use.</summary>
/// <param name="Name">The limiter's name, for example <c>openai</c>.</param>
/// <param name="RequestsPerMinute">The configured request limit per minute.</param>
/// <param name="TokensPerMinute">The configured token limit per minute; null for none.</param>
/// <param name="WindowSeconds">The sliding window the limits are counted over.</param>
/// <param name="ThrottleFactor">While throttled, the limits are multiplied by this (a provider answered 429).</param>
/// <param name="ThrottledUntil">Until when the lowered limits apply; null when not throttled.</param>
/// <param name="EffectiveRequestsPerMinute">The request limit in force now.</param>
/// <param name="RequestsInWindow">Permits granted within the current window.</param>
/// <param name="TokensInWindow">Tokens those permits reserved or used.</param>
/// <param name="UpdatedAt">When its settings last changed.</param>
/// <param name="Version">Increases with every change of its settings.</param>
public sealed record RateLimitView(
    string Name,
    int RequestsPerMinute,
    int? TokensPerMinute,
    int WindowSeconds,
    double ThrottleFactor,
    DateTimeOffset? ThrottledUntil,
    int EffectiveRequestsPerMinute,
    long RequestsInWindow,
    long TokensInWindow,
    DateTimeOffset UpdatedAt,
    long Version);
