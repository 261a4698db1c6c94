namespace TaskGrid.Grains.Logs;

/// <summary>One follower's watch on a task's log: a latch set by each notification for the task.</summary>
public sealed class TaskLogSubscription : IDisposable
{
    private readonly TaskLogSignals _owner;
    private readonly SemaphoreSlim _latch = new(0, 1);

    internal TaskLogSubscription(TaskLogSignals owner, Guid taskId)
    {
        _owner = owner;
        TaskId = taskId;
    }

    /// <summary>The task watched.</summary>
    public Guid TaskId { get; }

    /// <summary>Waits until new lines were announced since the last wait, or <paramref name="timeout"/>; true if announced.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _latch.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _owner.Unsubscribe(this);
        _latch.Dispose();
    }

    internal void Signal()
    {
        if (_latch.CurrentCount == 0)
        {
            try
            {
                _latch.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already set by a concurrent notification.
            }
        }
    }
}
