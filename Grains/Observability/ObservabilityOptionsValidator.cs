using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Observability;

internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var failures = new List<string>();
        if (options.MetricsPublishInterval < TimeSpan.FromMilliseconds(100) || options.MetricsPublishInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Observability:MetricsPublishInterval must be between 100 ms and 1 minute; got {options.MetricsPublishInterval}.");
        }
        if (options.MetricsHistory < TimeSpan.FromMinutes(1) || options.MetricsHistory > TimeSpan.FromDays(1))
        {
            failures.Add($"TaskGrid:Observability:MetricsHistory must be between 1 minute and 1 day; got {options.MetricsHistory}.");
        }
        else if (options.MetricsHistory < options.MetricsPublishInterval * 10)
        {
            failures.Add($"TaskGrid:Observability:MetricsHistory ({options.MetricsHistory}) must hold at least 10 samples of MetricsPublishInterval ({options.MetricsPublishInterval}).");
        }
        if (options.FailureHistory < TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Observability:FailureHistory must be at least 1 minute; got {options.FailureHistory}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
