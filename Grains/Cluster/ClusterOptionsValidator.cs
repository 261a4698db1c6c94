using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Cluster;

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (options.SiloHeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Cluster:SiloHeartbeatInterval must be positive; got {options.SiloHeartbeatInterval}.");
        }
        if (options.SiloDeadAfter < options.SiloHeartbeatInterval * 2)
        {
            failures.Add($"TaskGrid:Cluster:SiloDeadAfter ({options.SiloDeadAfter}) must be at least twice SiloHeartbeatInterval ({options.SiloHeartbeatInterval}), or one late heartbeat kills a healthy silo.");
        }
        if (options.MaintenanceInterval <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Cluster:MaintenanceInterval must be positive; got {options.MaintenanceInterval}.");
        }
        if (options.MaintenanceBatchSize is < 1 or > 100_000)
        {
            failures.Add($"TaskGrid:Cluster:MaintenanceBatchSize must be between 1 and 100000; got {options.MaintenanceBatchSize}.");
        }
        if (options.SchedulerInterval <= TimeSpan.Zero || options.SchedulerInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Cluster:SchedulerInterval must be between 0 and 1 minute (template ticks are this late at most); got {options.SchedulerInterval}.");
        }
        if (options.MissedTickAfter < options.SchedulerInterval * 2)
        {
            failures.Add($"TaskGrid:Cluster:MissedTickAfter ({options.MissedTickAfter}) must be at least twice SchedulerInterval ({options.SchedulerInterval}), or ticks on time count as missed.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
