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
    private readonly ConcurrentDictionary<Guid, Outstanding> _outstanding = new();
    private readonly ConcurrentQueue<(Guid Token, bool Unconfirmed)> _settled = new();

    public void Claimed(IReadOnlyList<ClaimedTask> batch)
    {
        foreach (var lease in batch.GroupBy(task => task.Lease.Token))
        {
            _outstanding.AddOrUpdate(lease.Key, new Outstanding(lease.Count(), Unconfirmed: false),
                (_, left) => left with { Tasks = left.Tasks + lease.Count() });
        }
    }

    /// <summary>One task of the lease is settled; <paramref name="recorded"/>: its outcome was written.</summary>
    public void Settled(LeaseRef lease, bool recorded)
    {
        var left = _outstanding.AddOrUpdate(lease.Token, new Outstanding(0, !recorded),
            (_, left) => new Outstanding(left.Tasks - 1, left.Unconfirmed || !recorded));
        if (left.Tasks <= 0 && _outstanding.TryRemove(new KeyValuePair<Guid, Outstanding>(lease.Token, left)))
        {
            _settled.Enqueue((lease.Token, left.Unconfirmed));
        }
    }

    /// <summary>The leases settled since the last call.</summary>
    public SettledLeases TakeSettled()
    {
        var acknowledged = new List<Guid>();
        var unconfirmed = new List<Guid>();
        while (_settled.TryDequeue(out var lease))
        {
            (lease.Unconfirmed ? unconfirmed : acknowledged).Add(lease.Token);
        }
        return new SettledLeases(acknowledged, unconfirmed);
    }

    /// <summary>A lease's tasks not yet settled, and whether any settled one went unrecorded.</summary>
    private readonly record struct Outstanding(int Tasks, bool Unconfirmed);
}
