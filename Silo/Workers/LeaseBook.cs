using System.Collections.Concurrent;
using TaskGrid.Workers;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Counts, per lease (one per claimed batch), the tasks not yet settled (acknowledged,
/// refused, stopped or handed back). A lease whose tasks are all settled can be closed: its
/// row is deleted rather than left for the reaper to find after it lapses. A lease whose every
/// outcome was recorded is closed as acknowledged, which spares the database a look at its tasks.
/// </summary>
internal sealed class LeaseBook
{
    private readonly ConcurrentDictionary<Guid, int> _outstanding = new();
    private readonly ConcurrentDictionary<Guid, bool> _unconfirmed = new();
    private readonly ConcurrentQueue<Guid> _settledAcknowledged = new();
    private readonly ConcurrentQueue<Guid> _settledUnconfirmed = new();

    public void Claimed(IReadOnlyList<ClaimedTask> batch)
    {
        foreach (var lease in batch.GroupBy(task => task.Lease.Token))
        {
            _outstanding.AddOrUpdate(lease.Key, lease.Count(), (_, count) => count + lease.Count());
        }
    }

    /// <summary>One task of the lease is settled; <paramref name="recorded"/>: its outcome was written.</summary>
    public void Settled(LeaseRef lease, bool recorded)
    {
        // Marked before the count drops, so the task that settles the lease last sees it.
        if (!recorded)
        {
            _unconfirmed.TryAdd(lease.Token, true);
        }
        var left = _outstanding.AddOrUpdate(lease.Token, 0, (_, count) => count - 1);
        if (left <= 0 && _outstanding.TryRemove(new KeyValuePair<Guid, int>(lease.Token, left)))
        {
            (_unconfirmed.TryRemove(lease.Token, out _) ? _settledUnconfirmed : _settledAcknowledged).Enqueue(lease.Token);
        }
    }

    /// <summary>The leases settled since the last call.</summary>
    public SettledLeases TakeSettled() => new(Drain(_settledAcknowledged), Drain(_settledUnconfirmed));

    private static List<Guid> Drain(ConcurrentQueue<Guid> queue)
    {
        var tokens = new List<Guid>();
        while (queue.TryDequeue(out var token))
        {
            tokens.Add(token);
        }
        return tokens;
    }
}
