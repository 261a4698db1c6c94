using System.Diagnostics;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Silo.Workers;

// The leases a worker holds: renewed while their tasks run, closed once settled, and released
// at once when the silo stops before an attempt finishes.
internal sealed partial class WorkerLoop
{
    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.LeaseRenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await CloseSettledLeasesAsync(cancellationToken);
                var held = _mine.Values.Where(r => !r.Acknowledging).ToList();
                if (held.Count == 0)
                {
                    continue;
                }
                try
                {
                    var kept = new HashSet<Guid>(await _grain.RenewLeasesAsync([.. held.Select(r => r.Task.Lease)], _options.LeaseDuration, cancellationToken));
                    foreach (var running in held.Where(r => !kept.Contains(r.Task.Id) && !r.Acknowledging))
                    {
                        LogLeaseLost(running.Task.Id, running.Task.Attempt);
                        running.Stop(StopReason.LeaseLost);
                    }
                }
                catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    LogRenewFailed(_grain.Id, held.Count, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // A claim leaves task rows pending; an attempt that outlasts MarkRunningAfter has its task
    // written running, so that the API and the counters show what is running.
    private async Task MarkLongAttemptsAsync(CancellationToken cancellationToken)
    {
        if (_options.MarkRunningAfter == TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(_options.MarkRunningAfter.Ticks / 4, TimeSpan.TicksPerMillisecond * 10)));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var running in _mine.Values)
                {
                    if (!running.MarkQueued && !running.Acknowledging
                        && Stopwatch.GetElapsedTime(running.StartedAt) >= _options.MarkRunningAfter)
                    {
                        MarkRunning(running);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void MarkRunning(RunningTask running)
    {
        running.MarkQueued = true;
        if (running.Task.Lease.ClaimedVersion is not null)
        {
            _acks.MarkRunning(running.Task);
        }
    }

    private async Task CloseSettledLeasesAsync(CancellationToken cancellationToken)
    {
        var settled = _leases.TakeSettled();
        try
        {
            await _grain.CloseLeasesAsync(settled, cancellationToken);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            // Harmless: an unclosed lease lapses and the reaper removes it (its tasks no longer carry it).
            LogCloseFailed(_grain.Id, settled.Count, ex.Message);
        }
    }

    private async Task ReleaseStoppedAsync(CancellationToken cancellationToken)
    {
        var leases = _toRelease.ToList();
        if (leases.Count == 0)
        {
            return;
        }
        try
        {
            var released = await _grain.ReleaseAsync(leases, $"released: silo {_silo.Identity.Name} shut down before the attempt finished", cancellationToken);
            LogReleased(_grain.Id, released);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            LogReleaseFailed(_grain.Id, leases.Count, ex.Message);
        }
    }
}
