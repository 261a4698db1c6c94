namespace TaskGrid.Silo.Workers;

/// <summary>
/// Wakes one waiting loop: <see cref="Set"/> completes the current wait (or the next one, if
/// nobody waits yet), then the signal resets. Several sets before a wait count as one.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _current = NewSource();
    private volatile bool _waiting;

    /// <summary>Whether its loop is waiting right now (it found no work, or no free slot).</summary>
    public bool IsWaiting => _waiting;

    public void Set() => Volatile.Read(ref _current).TrySetResult();

    /// <summary>Waits until set, the timeout passes, or cancellation; then resets. True when it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = Volatile.Read(ref _current);
        _waiting = true;
        try
        {
            await source.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Polling fallback: the caller looks for work anyway.
        }
        finally
        {
            _waiting = false;
        }
        if (source.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _current, NewSource(), source);
            return true;
        }
        return false;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
