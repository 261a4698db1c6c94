using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Queue;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Wakes this silo's claim loops when delayed work becomes due, so that a task with a run_at (or
/// a retry after its backoff, or a grid whose window opens) starts on time rather than at the next
/// poll. It asks the database for the next due time (one index probe), sleeps until just after
/// it, and wakes every loop. A task notification (new or requeued work, which may be due sooner)
/// wakes it too, so it asks again; it never sleeps longer than <see cref="s_horizon"/>, which
/// covers a notification lost while the listener reconnected.
/// </summary>
internal sealed partial class DueWorkTimer(
    DueWork dueWork,
    WorkSignals signals,
    TimeProvider time,
    ILogger<DueWorkTimer> logger) : BackgroundService
{
    private static readonly TimeSpan s_horizon = TimeSpan.FromSeconds(30);

    // Fire a hair after the due time, so that the claim's now() is past run_at.
    private static readonly TimeSpan s_lateBy = TimeSpan.FromMilliseconds(2);

    // Bursts of notifications (a bulk insert per statement) cost one question, not one each.
    private static readonly TimeSpan s_minimumGap = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = signals.Watch();
        while (!stoppingToken.IsCancellationRequested)
        {
            NextDue next;
            try
            {
                next = await dueWork.NextAsync(stoppingToken);
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogAskFailed(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                continue;
            }
            var wait = next.Due is { } due ? due - next.Now + s_lateBy : s_horizon;
            if (wait > s_horizon)
            {
                wait = s_horizon;
            }
            var woken = await changed.WaitAsync(wait, stoppingToken);
            if (woken)
            {
                await Task.Delay(s_minimumGap, time, stoppingToken);
            }
            else if (next.Due is not null && wait < s_horizon)
            {
                signals.WakeAll();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read when delayed work is next due: {Reason}; asking again in 1 s")]
    private partial void LogAskFailed(string reason);
}
