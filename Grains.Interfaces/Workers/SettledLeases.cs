namespace TaskGrid.Workers;

/// <summary>A worker's leases whose tasks are all settled, ready to be closed.</summary>
/// <param name="Acknowledged">
/// Leases every one of whose outcomes the worker saw recorded: each recorded outcome moved its
/// task's version, so none of their tasks can still be held, and they are closed without a look.
/// </param>
/// <param name="Unconfirmed">
/// Leases with an outcome that was not recorded (a write abandoned or refused, an attempt stopped
/// or handed back): a task one of them still holds goes back to the queue as they close.
/// </param>
public sealed record SettledLeases(IReadOnlyList<Guid> Acknowledged, IReadOnlyList<Guid> Unconfirmed)
{
    /// <summary>How many leases there are to close.</summary>
    public int Count => Acknowledged.Count + Unconfirmed.Count;

    /// <summary>Whether there is nothing to close.</summary>
    public bool IsEmpty => Count == 0;
}
