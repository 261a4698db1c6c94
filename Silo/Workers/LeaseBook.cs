using System.Collections.Concurrent;
using TaskGrid.Workers;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Counts, per lease (one per claimed batch), the tasks not yet settled (acknowledged,
/// refused, stopped or handed back). A lease whose tasks are all settled can be closed: its
/// row is deleted rather than left for the reaper to find after it lapses.
/// </summary>
internal sealed class LeaseBook
{
    private readonly ConcurrentDictionary<Guid, int> _outstanding = new();
    private readonly ConcurrentQueue<Guid> _settled = new();

    public void Claimed(IReadOnlyList<ClaimedTask> batch)
    {
        foreach (var lease in batch.GroupBy(task => task.Lease.Token))
        {
            _outstanding.AddOrUpdate(lease.Key, lease.Count(), (_, count) => count + lease.Count());
        }
    }

    public void Settled(LeaseRef lease)
    {
        var left = _outstanding.AddOrUpdate(lease.Token, 0, (_, count) => count - 1);
        if (left <= 0 && _outstanding.TryRemove(new KeyValuePair<Guid, int>(lease.Token, left)))
        {
            _settled.Enqueue(lease.Token);
        }
    }

    /// <summary>The leases settled since the last call.</summary>
    public List<Guid> TakeSettled()
    {
        var tokens = new List<Guid>();
        while (_settled.TryDequeue(out var token))
        {
            tokens.Add(token);
        }
        return tokens;
    }
}
