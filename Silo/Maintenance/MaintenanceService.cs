using Microsoft.Extensions.Options;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Silo.Maintenance;

/// <summary>
/// Offers to do the cluster's maintenance duty on every tick; <see cref="ClusterMaintenance"/>
/// lets one silo at a time act.
/// </summary>
internal sealed partial class MaintenanceService(
    ClusterMaintenance maintenance,
    IOptions<ClusterOptions> options,
    TaskGridMetrics metrics,
    ILogger<MaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var pass = await maintenance.RunOnceAsync(stoppingToken);
                if (pass is null)
                {
                    continue;
                }
                metrics.TasksRedelivered.Add(pass.LeasesReaped, new KeyValuePair<string, object?>("reason", "lease_lost"));
                metrics.TasksExpired.Add(pass.TasksExpired);
                foreach (var silo in pass.SilosDeclaredDead)
                {
                    LogSiloDeclaredDead(silo);
                }
                if (pass.LeasesReaped > 0 || pass.TasksExpired > 0)
                {
                    LogPass(pass.LeasesReaped, pass.TasksExpired);
                }
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloName} stopped heartbeating and was declared dead; its tasks go back to pending")]
    private partial void LogSiloDeclaredDead(string siloName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance: {Reaped} lost leases requeued or failed, {Expired} tasks expired")]
    private partial void LogPass(int reaped, int expired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
