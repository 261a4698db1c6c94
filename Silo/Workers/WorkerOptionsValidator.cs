using Microsoft.Extensions.Options;

namespace TaskGrid.Silo.Workers;

internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions o)
    {
        var failures = new List<string>();
        if (o.Workers is < 1 or > 256)
        {
            failures.Add($"TaskGrid:Worker:Workers must be between 1 and 256; got {o.Workers}.");
        }
        if (o.Concurrency is < 1 or > 10_000)
        {
            failures.Add($"TaskGrid:Worker:Concurrency must be between 1 and 10000; got {o.Concurrency}.");
        }
        if (o.Prefetch is < 1 or > 10_000)
        {
            failures.Add($"TaskGrid:Worker:Prefetch must be between 1 and 10000; got {o.Prefetch}.");
        }
        if (o.LeaseRenewInterval <= TimeSpan.Zero || o.LeaseRenewInterval * 2 > o.LeaseDuration)
        {
            failures.Add($"TaskGrid:Worker:LeaseRenewInterval ({o.LeaseRenewInterval}) must be positive and at most half of LeaseDuration ({o.LeaseDuration}), so that one late renewal does not lose a lease.");
        }
        if (o.MarkRunningAfter < TimeSpan.Zero || o.MarkRunningAfter >= o.LeaseDuration)
        {
            failures.Add($"TaskGrid:Worker:MarkRunningAfter ({o.MarkRunningAfter}) must be zero or more and below LeaseDuration ({o.LeaseDuration}).");
        }
        if (o.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Worker:PollInterval must be positive; got {o.PollInterval}.");
        }
        if (o.AckBatchSize is < 1 or > 10_000)
        {
            failures.Add($"TaskGrid:Worker:AckBatchSize must be between 1 and 10000; got {o.AckBatchSize}.");
        }
        if (o.ShutdownGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Worker:ShutdownGracePeriod must not be negative; got {o.ShutdownGracePeriod}.");
        }
        if (o.RetryBaseDelay <= TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay)
        {
            failures.Add($"TaskGrid:Worker:RetryBaseDelay ({o.RetryBaseDelay}) must be positive and not above RetryMaxDelay ({o.RetryMaxDelay}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
