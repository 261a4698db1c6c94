using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.RateLimiting;

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.SafetyMargin < TimeSpan.Zero || options.SafetyMargin > TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:RateLimits:SafetyMargin must be between 0 and 1 minute; got {options.SafetyMargin}.");
        }
        if (options.ThrottleFactor is <= 0 or > 1)
        {
            failures.Add($"TaskGrid:RateLimits:ThrottleFactor must be above 0 and at most 1; got {options.ThrottleFactor}.");
        }
        if (options.MinimumThrottleFactor <= 0 || options.MinimumThrottleFactor > options.ThrottleFactor)
        {
            failures.Add($"TaskGrid:RateLimits:MinimumThrottleFactor ({options.MinimumThrottleFactor}) must be above 0 and at most ThrottleFactor ({options.ThrottleFactor}).");
        }
        if (options.ThrottleDuration <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:RateLimits:ThrottleDuration must be positive; got {options.ThrottleDuration}.");
        }
        if (options.MaxWaitBetweenTries < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"TaskGrid:RateLimits:MaxWaitBetweenTries must be at least 10 ms; got {options.MaxWaitBetweenTries}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
