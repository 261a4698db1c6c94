namespace TaskGrid.RateLimits;

/// <summary>
/// A named cluster-wide rate limiter's settings. PUT needs <see cref="RequestsPerMinute"/>;
/// PATCH changes only the fields given. Changes apply to the next permit, in every silo.
/// </summary>
public sealed record RateLimitRequest
{
    /// <summary>Requests allowed per minute across the cluster. Range 1..1,000,000.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Model tokens allowed per minute across the cluster. Range 1..1,000,000,000. Default: no token limit.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>True removes the token limit (PATCH).</summary>
    public bool? ClearTokensPerMinute { get; init; }

    /// <summary>
    /// The length of the sliding window the limits are counted over, in seconds (the per-minute
    /// limits are scaled to it). Range 1..3600. Default: 60.
    /// </summary>
    public int? WindowSeconds { get; init; }
}
