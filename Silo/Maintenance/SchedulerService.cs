using Microsoft.Extensions.Options;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Persistence;
using TaskGrid.Silo.Membership;

namespace TaskGrid.Silo.Maintenance;

/// <summary>
/// Offers to do the scheduler duties (grid windows, template ticks, rate-limit housekeeping) every
/// <see cref="ClusterOptions.SchedulerInterval"/>; <see cref="ClusterScheduler"/> lets one silo at
/// a time do each, by the same advisory-lock mechanism as the maintenance duty.
/// </summary>
internal sealed partial class SchedulerService(
    ClusterScheduler scheduler,
    SiloContext silo,
    IOptions<ClusterOptions> options,
    ILogger<SchedulerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SchedulerInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!silo.IsMember)
            {
                continue;
            }
            try
            {
                var pass = await scheduler.RunOnceAsync(silo.Identity.Name, stoppingToken);
                if (pass.TasksExpired > 0)
                {
                    LogRetired(pass.TasksExpired);
                }
                foreach (var run in pass.Runs)
                {
                    LogRunCreated(run.TemplateId, run.GridId, run.Tick, run.WasMissed);
                }
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler: {Expired} pending tasks of retired grids expired")]
    private partial void LogRetired(int expired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler: template {TemplateId} created run {GridId} for tick {Tick} (missed: {WasMissed})")]
    private partial void LogRunCreated(Guid templateId, Guid gridId, DateTimeOffset tick, bool wasMissed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
