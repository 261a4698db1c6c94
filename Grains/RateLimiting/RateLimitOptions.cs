namespace TaskGrid.Grains.RateLimiting;

/// <summary>How cluster-wide rate limiters behave. Section <c>TaskGrid:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:RateLimits";

    /// <summary>
    /// Added to every limiter's window when counting grants, so that a permit used a little after
    /// it was granted (the HTTP call's own latency) still counts in the window the provider sees.
    /// Default: 1 second.
    /// </summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a 429 from the provider, the limiter's limits are multiplied by this. Default: 0.5.</summary>
    public double ThrottleFactor { get; set; } = 0.5;

    /// <summary>The lowest the factor goes after repeated 429s. Default: 0.1.</summary>
    public double MinimumThrottleFactor { get; set; } = 0.1;

    /// <summary>How long lowered limits last after the latest 429. Default: 1 minute.</summary>
    public TimeSpan ThrottleDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a task waits between two attempts to get a permit. Default: 5 seconds.</summary>
    public TimeSpan MaxWaitBetweenTries { get; set; } = TimeSpan.FromSeconds(5);
}
