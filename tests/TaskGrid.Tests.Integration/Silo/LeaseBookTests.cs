using TaskGrid.Silo.Workers;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>
/// A lease is closed once each of its tasks is settled, as acknowledged only when every outcome
/// was recorded: the database then skips its check for tasks the lease might still hold.
/// </summary>
public sealed class LeaseBookTests
{
    [Fact]
    public void A_lease_is_settled_only_when_its_last_task_is()
    {
        var book = new LeaseBook();
        var batch = Batch(Guid.NewGuid(), 3);
        book.Claimed(batch);

        book.Settled(batch[0].Lease, recorded: true);
        book.Settled(batch[1].Lease, recorded: true);
        Assert.True(book.TakeSettled().IsEmpty);

        book.Settled(batch[2].Lease, recorded: true);
        var settled = book.TakeSettled();
        Assert.Equal([batch[0].Lease.Token], settled.Acknowledged);
        Assert.Empty(settled.Unconfirmed);
        Assert.True(book.TakeSettled().IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void One_outcome_not_recorded_makes_its_lease_unconfirmed_whenever_it_settles(int unrecorded)
    {
        var book = new LeaseBook();
        var doubtful = Batch(Guid.NewGuid(), 3);
        var clean = Batch(Guid.NewGuid(), 2);
        book.Claimed(doubtful);
        book.Claimed(clean);

        for (var i = 0; i < doubtful.Count; i++)
        {
            book.Settled(doubtful[i].Lease, recorded: i != unrecorded);
        }
        book.Settled(clean[0].Lease, recorded: true);
        book.Settled(clean[1].Lease, recorded: true);

        var settled = book.TakeSettled();
        Assert.Equal([clean[0].Lease.Token], settled.Acknowledged);
        Assert.Equal([doubtful[0].Lease.Token], settled.Unconfirmed);
    }

    [Fact]
    public async Task Tasks_settling_at_once_on_many_threads_settle_each_lease_exactly_once()
    {
        var book = new LeaseBook();
        var batches = Enumerable.Range(0, 50).Select(_ => Batch(Guid.NewGuid(), 40)).ToList();
        foreach (var batch in batches)
        {
            book.Claimed(batch);
        }
        // The outcome of the first task of every tenth lease is not recorded.
        var doubtful = batches.Where((_, i) => i % 10 == 0).ToList();
        var unrecorded = doubtful.Select(b => b[0].Id).ToHashSet();

        await Task.WhenAll(batches.SelectMany(b => b).Select(task => Task.Run(() =>
            book.Settled(task.Lease, recorded: !unrecorded.Contains(task.Id)))));

        var settled = book.TakeSettled();
        Assert.Equal(doubtful.Select(b => b[0].Lease.Token).Order(), settled.Unconfirmed.Order());
        Assert.Equal(batches.Except(doubtful).Select(b => b[0].Lease.Token).Order(), settled.Acknowledged.Order());
    }

    private static List<ClaimedTask> Batch(Guid lease, int count)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var id = Guid.NewGuid();
            return new ClaimedTask(id, "u", null, "noop", null, null, null, 1, 3, null, new LeaseRef(id, lease), now, now, now);
        })];
    }
}
