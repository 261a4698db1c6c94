namespace TaskGrid.Grains.Queue;

/// <summary>
/// When a failed attempt runs again: exponential in the attempt number, capped, with jitter
/// so that many tasks failing together (a provider outage) do not come back together; never
/// sooner than the endpoint asked (a 429's Retry-After).
/// </summary>
/// <param name="baseDelay">The delay after the first failed attempt, before jitter.</param>
/// <param name="maxDelay">The cap, before Retry-After.</param>
public sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    /// <summary>The default policy: 1 s, 2 s, 4 s, ... up to 5 minutes.</summary>
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>The delay before attempt <paramref name="failedAttempt"/> + 1.</summary>
    /// <param name="failedAttempt">The attempt that failed, from 1.</param>
    /// <param name="retryAfter">The least delay the other side asked for, if it did.</param>
    /// <param name="jitter">A value in [0, 1); the delay is scaled into [50%, 100%] of the exponential step.</param>
    public TimeSpan Delay(int failedAttempt, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitter, 1.0);
        var exponent = Math.Min(failedAttempt - 1, 30);
        var step = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(step * (0.5 + jitter / 2));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }
}
