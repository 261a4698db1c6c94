using TaskGrid.Workers;

namespace TaskGrid.Silo.Workers;

/// <summary>One attempt running in this silo, and the means to stop it.</summary>
internal sealed class RunningTask(ClaimedTask task, CancellationToken hardStop) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(hardStop);
    private int _reason;

    public ClaimedTask Task => task;

    /// <summary>When the attempt started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Set once the attempt's task was queued to be written running (it is written once).</summary>
    public bool MarkQueued { get; set; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Why the attempt was stopped; <see cref="StopReason.None"/> while it runs or when it ended by itself.</summary>
    public StopReason Reason => hardStop.IsCancellationRequested && _reason == 0 ? StopReason.Shutdown : (StopReason)_reason;

    /// <summary>Set once the attempt's outcome is handed to the acknowledger: lease renewal may then lapse.</summary>
    public volatile bool Acknowledging;

    /// <summary>The attempt's run, from start to recorded outcome.</summary>
    public Task Execution { get; set; } = System.Threading.Tasks.Task.CompletedTask;

    public void Stop(StopReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, 0);
        _cancellation.Cancel();
    }

    public void Dispose() => _cancellation.Dispose();
}

/// <summary>Why a running attempt was stopped before it finished.</summary>
internal enum StopReason
{
    None,
    TaskCancelled,
    LeaseLost,
    Shutdown,
}
