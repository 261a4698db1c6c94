using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Retention;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.LogMaxAge < TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Retention:LogMaxAge must be at least a minute; got {options.LogMaxAge}.");
        }
        if (options.TaskMaxAge < TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Retention:TaskMaxAge must be at least a minute; got {options.TaskMaxAge}.");
        }
        if (options.Interval <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Retention:Interval must be positive; got {options.Interval}.");
        }
        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"TaskGrid:Retention:BatchSize must be between 1 and 100000; got {options.BatchSize}.");
        }
        if (options.MaxBatchesPerPass is < 1 or > 10_000)
        {
            failures.Add($"TaskGrid:Retention:MaxBatchesPerPass must be between 1 and 10000; got {options.MaxBatchesPerPass}.");
        }
        if (options.StalledPassTimeout < TimeSpan.FromSeconds(1) || options.StalledPassTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"TaskGrid:Retention:StalledPassTimeout must be between 1 second and 1 day; got {options.StalledPassTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
