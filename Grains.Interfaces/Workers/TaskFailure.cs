namespace TaskGrid.Workers;

/// <summary>A failed attempt to record.</summary>
/// <param name="Lease">The attempt's lease.</param>
/// <param name="Error">What went wrong, for the user.</param>
/// <param name="Retryable">Whether another attempt may succeed (rate limits, 5xx, timeouts).</param>
/// <param name="RetryDelay">How long to wait before the next attempt, when one is allowed.</param>
/// <param name="Output">What the attempt printed before it failed (script).</param>
public sealed record TaskFailure(LeaseRef Lease, string Error, bool Retryable, TimeSpan RetryDelay, string? Output = null);
