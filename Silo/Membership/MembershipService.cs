using Microsoft.Extensions.Options;
using TaskGrid.Cluster;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Silo.Membership;

/// <summary>
/// Joins the membership table, heartbeats, and leaves it on shutdown. A silo that finds its
/// row taken (declared dead while it was frozen or cut off, or its name reused) rejoins as
/// a new incarnation: its old leases were already reaped, so its late acknowledgements are
/// refused and nothing is done twice.
/// </summary>
internal sealed partial class MembershipService(
    MembershipTable membership,
    SiloContext silo,
    IOptions<ClusterOptions> clusterOptions,
    TaskGridMetrics metrics,
    ILogger<MembershipService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await JoinAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(clusterOptions.Value.SiloHeartbeatInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var state = await membership.HeartbeatAsync(silo.Identity, stoppingToken);
                if (state is null)
                {
                    silo.MarkLost();
                    LogMembershipLost(silo.Identity.Name);
                    silo.Reincarnate();
                    await JoinAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogHeartbeatFailed(ex.Message);
            }
        }
    }

    /// <summary>Marks the silo as draining: it claims nothing new.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        silo.MarkDraining();
        try
        {
            await membership.SetStateAsync(silo.Identity, SiloState.Draining, cancellationToken);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex))
        {
            LogStateNotRecorded("draining", ex.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await membership.SetStateAsync(silo.Identity, SiloState.Stopped, cancellationToken);
            LogLeft(silo.Identity.Name);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            LogStateNotRecorded("stopped", ex.Message);
        }
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var requeued = await membership.JoinAsync(silo.Identity, cancellationToken);
                silo.MarkJoined();
                metrics.TasksRedelivered.Add(requeued, new KeyValuePair<string, object?>("reason", "silo_restarted"));
                LogJoined(silo.Identity.Name, silo.Identity.Incarnation, requeued);
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogJoinFailed(attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloName} joined the cluster (incarnation {Incarnation}); {Requeued} tasks of its previous run went back to pending")]
    private partial void LogJoined(string siloName, Guid incarnation, int requeued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not join the cluster (attempt {Attempt}): {Reason}; retrying")]
    private partial void LogJoinFailed(int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed: {Reason}")]
    private partial void LogHeartbeatFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloName} was declared dead or its name was taken over; its leases are gone, rejoining as a new incarnation")]
    private partial void LogMembershipLost(string siloName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloName} left the cluster")]
    private partial void LogLeft(string siloName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the silo as {State}: {Reason}")]
    private partial void LogStateNotRecorded(string state, string reason);
}
