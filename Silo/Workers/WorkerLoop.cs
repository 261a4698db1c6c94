using System.Collections.Concurrent;
using System.Diagnostics;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Logs;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Queue;
using TaskGrid.Silo.Membership;
using TaskGrid.Workers;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Drives one worker grain: claims batches while it has free slots, runs each task through
/// its executor, renews the leases it holds, and hands outcomes to its <see cref="Acknowledger"/>.
/// It sleeps on its <see cref="WakeSignal"/> when the queue is empty; a notification or the
/// poll interval wakes it.
/// </summary>
internal sealed partial class WorkerLoop
{
    /// <summary>How long an outcome waits for the attempt's log lines to be stored before it is acknowledged anyway.</summary>
    private static readonly TimeSpan s_logFlushPatience = TimeSpan.FromSeconds(5);

    private readonly IWorkerGrain _grain;
    private readonly WorkerOptions _options;
    private readonly ExecutorRegistry _executors;
    private readonly InFlightTasks _siloInFlight;
    private readonly SiloContext _silo;
    private readonly TaskGridMetrics _metrics;
    private readonly RetryBackoff _backoff;
    private readonly ILogger _logger;
    private readonly ITaskLog _log;
    private readonly WakeSignal _wake;
    private readonly WakeSignal _slotFreed = new();
    private readonly Acknowledger _acks;
    private readonly ConcurrentDictionary<Guid, RunningTask> _mine = new();
    private readonly ConcurrentQueue<LeaseRef> _toRelease = new();
    private readonly LeaseBook _leases = new();
    private long _claimed;
    private long _completed;
    private long _failed;

    public WorkerLoop(IWorkerGrain grain, WorkerOptions options, ExecutorRegistry executors, InFlightTasks siloInFlight,
        SiloContext silo, WorkSignals signals, TaskGridMetrics metrics, ITaskLog log, ILogger logger)
    {
        _log = log;
        _grain = grain;
        _options = options;
        _executors = executors;
        _siloInFlight = siloInFlight;
        _silo = silo;
        _metrics = metrics;
        _logger = logger;
        _backoff = new RetryBackoff(options.RetryBaseDelay, options.RetryMaxDelay);
        _wake = signals.Register();
        _acks = new Acknowledger(grain, options.AckBatchSize, metrics, logger);
    }

    public int InFlight => _mine.Count;

    /// <summary>
    /// Runs until <paramref name="stopClaiming"/>, then lets running attempts finish. Attempts
    /// still running when <paramref name="hardStop"/> fires are stopped and their tasks handed
    /// back; <paramref name="abandonWrites"/> gives up on writes to a database that stays down.
    /// </summary>
    public async Task RunAsync(CancellationToken stopClaiming, CancellationToken hardStop, CancellationToken abandonWrites)
    {
        try
        {
            await _silo.Joined.WaitAsync(stopClaiming);
            await RegisterAsync(stopClaiming);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var acking = _acks.RunAsync(abandonWrites);
        using var background = new CancellationTokenSource();
        var renewing = RenewLeasesAsync(background.Token);
        var marking = MarkLongAttemptsAsync(background.Token);
        var reporting = ReportAsync(background.Token);
        try
        {
            await ClaimAsync(stopClaiming, hardStop);
        }
        catch (OperationCanceledException) when (stopClaiming.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_mine.Values.Select(r => r.Execution));
        await ReleaseStoppedAsync(abandonWrites);
        _acks.Complete();
        await acking;
        await CloseSettledLeasesAsync(abandonWrites);
        await background.CancelAsync();
        await Task.WhenAll(renewing, marking, reporting);
        await ReportOnceAsync(abandonWrites);
    }

    private async Task ClaimAsync(CancellationToken stopClaiming, CancellationToken hardStop)
    {
        // A full batch means more work is likely queued: the next claim is sent before this
        // batch's tasks are started, so the database runs it while the silo starts them, rather
        // than sitting idle between claims.
        Task<Claim>? next = null;
        while (true)
        {
            Claim claim;
            if (next is not null)
            {
                claim = await next;
                next = null;
            }
            else
            {
                if (stopClaiming.IsCancellationRequested)
                {
                    return;
                }
                var free = FreeSlots(claimedNotStarted: 0);
                if (free <= 0)
                {
                    await _slotFreed.WaitAsync(_options.PollInterval, stopClaiming);
                    continue;
                }
                if (!_silo.IsMember)
                {
                    await _wake.WaitAsync(_options.PollInterval, stopClaiming);
                    continue;
                }
                claim = await TryClaimAsync(Math.Min(free, _options.Prefetch), stopClaiming, hardStop);
            }
            if (claim.Tasks is not { } claimed)
            {
                continue;
            }
            _leases.Claimed(claimed);
            var freeAfter = FreeSlots(claimedNotStarted: claimed.Count);
            if (claimed.Count == claim.Wanted && freeAfter > 0 && _silo.IsMember && !stopClaiming.IsCancellationRequested)
            {
                next = TryClaimAsync(Math.Min(freeAfter, _options.Prefetch), stopClaiming, hardStop);
            }
            foreach (var task in claimed)
            {
                Start(task, hardStop);
            }
            if (next is null && claimed.Count < claim.Wanted)
            {
                await _wake.WaitAsync(_options.PollInterval, stopClaiming);
            }
        }
    }

    // Tasks claimed but not yet started hold their slots already.
    private int FreeSlots(int claimedNotStarted) => _options.Concurrency - _mine.Count - claimedNotStarted;

    /// <summary>One claim of up to <paramref name="wanted"/> tasks; no tasks when it failed (after a pause).</summary>
    private async Task<Claim> TryClaimAsync(int wanted, CancellationToken stopClaiming, CancellationToken hardStop)
    {
        try
        {
            // Not cancelled by stopClaiming: a claim cancelled after it committed would strand
            // its tasks until their leases lapse.
            return new Claim(wanted, await _grain.ClaimAsync(wanted, _options.LeaseDuration, hardStop));
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !hardStop.IsCancellationRequested)
        {
            LogClaimFailed(_grain.Id, ex.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), stopClaiming);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an unexpected database answer must not silently end the loop.
            LogClaimCrashed(_grain.Id, ex);
            await Task.Delay(TimeSpan.FromSeconds(5), stopClaiming);
        }
        return new Claim(wanted, null);
    }

    private readonly record struct Claim(int Wanted, IReadOnlyList<ClaimedTask>? Tasks);

    private void Start(ClaimedTask task, CancellationToken hardStop)
    {
        Interlocked.Increment(ref _claimed);
        var kind = new KeyValuePair<string, object?>("kind", task.Kind);
        _metrics.TasksClaimed.Add(1, kind);
        _metrics.ClaimToStart.Record(Math.Max(0, (task.ClaimedAt - task.RunAt).TotalSeconds), kind);
        _log.System(task, $"Claimed by worker {_grain.Id} (attempt {task.Attempt} of {task.MaxAttempts}).");
        var running = new RunningTask(task, hardStop);
        // Claimed again while an earlier attempt still runs here: that attempt's lease was
        // reaped (the database was out longer than a lease), so it stops; the new one takes over.
        if (_mine.TryGetValue(task.Id, out var lost))
        {
            LogLeaseLost(task.Id, lost.Task.Attempt);
            lost.Stop(StopReason.LeaseLost);
        }
        _mine[task.Id] = running;
        _siloInFlight.Add(running);
        if (_options.MarkRunningAfter == TimeSpan.Zero)
        {
            MarkRunning(running);
        }
        running.Execution = Task.Run(() => RunAsync(running), CancellationToken.None);
    }

    private async Task RunAsync(RunningTask running)
    {
        var task = running.Task;
        var started = Stopwatch.GetTimestamp();
        var recorded = false;
        try
        {
            var outcome = await ExecuteAsync(running);
            _metrics.RunDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("kind", task.Kind),
                new KeyValuePair<string, object?>("outcome", outcome switch { ExecutionOutcome.Succeeded => "succeeded", ExecutionOutcome.Failed => "failed", _ => "stopped" }));
            switch (outcome)
            {
                case null when running.Reason == StopReason.Shutdown:
                    _log.System(task, "Stopped: the silo is shutting down; the task goes back to pending.");
                    _toRelease.Enqueue(task.Lease);
                    break;
                case null:
                    _log.System(task, running.Reason == StopReason.TaskCancelled ? "Stopped: the task was cancelled." : "Stopped: this attempt's lease was lost.");
                    LogStopped(task.Id, task.Attempt, running.Reason);
                    break;
                case ExecutionOutcome.Succeeded success:
                    running.Acknowledging = true;
                    await RecordInLogAsync(task, "Attempt succeeded.");
                    recorded = await _acks.CompleteAsync(task, new TaskSuccess(task.Lease, success.Code, success.Output, success.Usage));
                    if (recorded)
                    {
                        Interlocked.Increment(ref _completed);
                        _metrics.TasksCompleted.Add(1, new KeyValuePair<string, object?>("kind", task.Kind));
                    }
                    else
                    {
                        _log.System(task, LeaseLostInLog);
                    }
                    break;
                case ExecutionOutcome.Failed failure:
                    running.Acknowledging = true;
                    var delay = _backoff.Delay(task.Attempt, failure.RetryAfter, Random.Shared.NextDouble());
                    await RecordInLogAsync(task, failure.Retryable && task.Attempt < task.MaxAttempts
                        ? $"Attempt failed: {failure.Error} Retry scheduled in {delay.TotalSeconds:0.#} s (attempt {task.Attempt + 1} of {task.MaxAttempts})."
                        : $"Attempt failed{(failure.Retryable ? ", and it was the last" : "")}: {failure.Error}");
                    recorded = await _acks.FailAsync(task, new TaskFailure(task.Lease, failure.Error, failure.Retryable, delay, failure.Output));
                    if (!recorded)
                    {
                        _log.System(task, LeaseLostInLog);
                    }
                    else
                    {
                        Interlocked.Increment(ref _failed);
                        _metrics.TasksFailed.Add(1, new KeyValuePair<string, object?>("kind", task.Kind));
                        if (failure.Retryable && task.Attempt < task.MaxAttempts)
                        {
                            _metrics.TasksRetried.Add(1, new KeyValuePair<string, object?>("kind", task.Kind));
                        }
                    }
                    break;
            }
        }
        finally
        {
            _leases.Settled(task.Lease, recorded);
            // Only this attempt's entry: a newer attempt of the same task may have replaced it.
            _mine.TryRemove(new KeyValuePair<Guid, RunningTask>(task.Id, running));
            _siloInFlight.Remove(running);
            running.Dispose();
            _slotFreed.Set();
        }
    }

    private const string LeaseLostInLog = "The outcome was not recorded: this attempt's lease was lost (reaped, cancelled or taken over).";

    // Every line of the attempt is stored before its outcome: a follower that sees the task
    // finished then knows it has read the whole log.
    private async Task RecordInLogAsync(ClaimedTask task, string message)
    {
        _log.System(task, message);
        if (!await _log.FlushAsync(task, s_logFlushPatience))
        {
            LogFlushSlow(task.Id);
        }
    }

    /// <summary>The attempt's outcome, or null when it was stopped (cancelled, lease lost, shutdown).</summary>
    private async Task<ExecutionOutcome?> ExecuteAsync(RunningTask running)
    {
        var task = running.Task;
        var executor = _executors.Find(task.Kind);
        if (executor is null)
        {
            return new ExecutionOutcome.Failed(
                $"Silo {_silo.Identity.Name} has no executor for task kind '{task.Kind}' (it runs {string.Join(", ", _executors.Kinds)}).",
                Retryable: true);
        }
        try
        {
            return await executor.ExecuteAsync(task, running.Token);
        }
        catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            LogExecutorThrew(task.Id, task.Kind, ex);
            return new ExecutionOutcome.Failed($"The {task.Kind} executor failed: {ex.Message}", Retryable: true);
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await ReportOnceAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _grain.ReportAsync(new WorkerReport(_mine.Count, Interlocked.Read(ref _claimed), Interlocked.Read(ref _completed), Interlocked.Read(ref _failed)), cancellationToken);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            LogReportFailed(_grain.Id, ex.Message);
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _grain.RegisterAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogRegisterFailed(_grain.Id, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }
}
