using Npgsql;
using TaskGrid.Access;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// A claim leaves task rows pending (migration 0017): the lease, and the row version it recorded,
/// say who holds a task until something writes it. These are the fences that replace the row's
/// own lease token.
/// </summary>
public sealed class LeasedTaskTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_lease_that_still_names_a_task_another_claim_took_over_cannot_acknowledge_it()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var retried = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 3 });
        var other = await engine.SubmitAsync();
        var first = await worker.ClaimAsync(10, TimeSpan.FromMinutes(10));
        Assert.Equal(2, first.Count);
        var firstLease = first.Single(c => c.Id == retried.Id).Lease;

        // The first lease lives on (it still holds the other task) while its retried task is claimed again.
        Assert.Equal([retried.Id], await worker.FailAsync([new TaskFailure(firstLease, "flaky", Retryable: true, TimeSpan.Zero)]));
        var second = await engine.ClaimOneAsync(worker, retried.Id);
        Assert.Equal(2, second.Attempt);

        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(firstLease, Output: "stale")]));
        Assert.Empty(await worker.RenewLeasesAsync([firstLease], TimeSpan.FromMinutes(10)));
        Assert.Equal([retried.Id], await worker.CompleteAsync([new TaskSuccess(second.Lease, Output: "current")]));
        var done = await database.TaskRowAsync(retried.Id);
        Assert.Equal(("completed", 2, "current"), (done.Status, done.Attempt, done.Output));
        Assert.Equal("leased", await engine.HoldingStateAsync(other.Id));
    }

    [Fact]
    public async Task A_task_written_running_keeps_its_claim_and_is_still_acknowledged_by_its_lease()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        var claimedAt = engine.Clock.GetUtcNow();
        Assert.Equal(("running", 1), ((await engine.GetAsync(task.Id)).Status.ToName(), (await engine.GetAsync(task.Id)).Attempt));

        engine.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await worker.MarkRunningAsync([claimed.Lease]));
        Assert.Equal(0, await worker.MarkRunningAsync([claimed.Lease]));
        var running = await database.TaskRowAsync(task.Id);
        Assert.Equal(("running", 1, (Guid?)claimed.Lease.Token, worker.Id), (running.Status, running.Attempt, running.LeaseToken, running.LeaseOwner));
        Times.Equal(claimedAt, (await engine.GetAsync(task.Id)).StartedAt);

        Assert.Equal([task.Id], await worker.RenewLeasesAsync([claimed.Lease], TimeSpan.FromMinutes(10)));
        Assert.Equal([task.Id], await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]));
        var events = await engine.EventsAsync(task.Id);
        Assert.Equal(
            [(null, TaskState.Pending), (TaskState.Pending, TaskState.Running), (TaskState.Running, TaskState.Completed)],
            events.Select(e => (e.From, e.To)));
        Times.Equal(claimedAt, events[1].At);
    }

    [Fact]
    public async Task A_completion_straight_from_the_lease_records_the_claim_in_the_history_and_the_counts()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        var claimedAt = engine.Clock.GetUtcNow();
        engine.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([task.Id], await worker.CompleteAsync([new TaskSuccess(claimed.Lease, Output: "ok")]));
        var view = await engine.GetAsync(task.Id);
        Assert.Equal((TaskState.Completed, 1, "ok"), (view.Status, view.Attempt, view.Output));
        Times.Equal(claimedAt, view.StartedAt);
        var events = await engine.EventsAsync(task.Id);
        Assert.Equal(
            [(null, TaskState.Pending, "api:system"), (TaskState.Pending, TaskState.Running, worker.Id), (TaskState.Running, TaskState.Completed, worker.Id)],
            events.Select(e => (e.From, e.To, e.Worker)));
        Times.Equal(claimedAt, events[1].At);
        Assert.Empty(await database.UserPendingMismatchesAsync());
        Assert.Empty(await database.QueueMismatchesAsync());
    }

    [Fact]
    public async Task Deleting_a_lease_that_still_holds_a_task_gives_the_task_back()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);

        // A worker must only close a lease once its tasks are settled; if one does anyway (a bug,
        // or a silo of the previous release), the task goes back to the queue, not into limbo.
        await worker.CloseLeasesAsync(new SettledLeases([], [claimed.Lease.Token]));
        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("pending", 0, (Guid?)null), (row.Status, row.Attempt, row.LeaseToken));
        Assert.Empty(await database.QueueMismatchesAsync());
        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]));
        Assert.Equal(1, (await engine.ClaimOneAsync(worker, task.Id)).Attempt);
        var events = await engine.EventsAsync(task.Id);
        Assert.Equal((TaskState.Running, TaskState.Pending), (events[2].From, events[2].To));
    }

    [Fact]
    public async Task A_lease_closed_as_acknowledged_is_dropped_without_reading_its_tasks_and_an_unconfirmed_one_checks_them()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        for (var i = 0; i < 4; i++)
        {
            await engine.SubmitAsync();
        }
        var first = await worker.ClaimAsync(2, TimeSpan.FromMinutes(10));
        var second = await worker.ClaimAsync(2, TimeSpan.FromMinutes(10));
        var claimed = first.Concat(second).ToList();
        Assert.Equal(4, (await worker.CompleteAsync([.. claimed.Select(c => new TaskSuccess(c.Lease))])).Count);

        Assert.Equal(0, await TaskReadsClosingAsync(worker.Id, acknowledged: [first[0].Lease.Token], unconfirmed: []));
        Assert.True(await TaskReadsClosingAsync(worker.Id, acknowledged: [], unconfirmed: [second[0].Lease.Token]) > 0);

        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from task_leases"));
        foreach (var task in claimed)
        {
            Assert.Equal(("completed", 1), ((await database.TaskRowAsync(task.Id)).Status, (await database.TaskRowAsync(task.Id)).Attempt));
        }
        Assert.Empty(await database.QueueMismatchesAsync());
    }

    // The backend's not-yet-reported table statistics, before and after the close in one
    // transaction (PostgreSQL 15 reports them at transaction ends, a second apart at most).
    private async Task<long> TaskReadsClosingAsync(string worker, Guid[] acknowledged, Guid[] unconfirmed)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var reads = new NpgsqlCommand(
            "select coalesce(sum(seq_scan + idx_scan), 0)::bigint from pg_stat_xact_user_tables where relname = 'tasks'", connection, transaction);
        var before = (long)(await reads.ExecuteScalarAsync())!;
        await using (var close = new NpgsqlCommand(QueueQueries.TaskLeaseClose, connection, transaction))
        {
            close.Parameters.AddWithValue("worker", worker);
            close.Parameters.AddWithValue("acknowledged", acknowledged);
            close.Parameters.AddWithValue("unconfirmed", unconfirmed);
            Assert.Equal(1, await close.ExecuteScalarAsync());
        }
        var after = (long)(await reads.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        return after - before;
    }

    [Fact]
    public async Task Cancelling_a_grid_stops_the_tasks_its_claims_hold()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "held",
            Tasks = [.. Enumerable.Range(0, 3).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        var claimed = await worker.ClaimAsync(2, TimeSpan.FromMinutes(10));
        Assert.Equal(2, claimed.Count);

        await engine.Grains.Grid(grid.Id).CancelAsync(Caller.System);
        foreach (var task in claimed)
        {
            var events = await engine.EventsAsync(task.Id);
            Assert.Equal((TaskState.Running, TaskState.Cancelled), (events[^1].From, events[^1].To));
        }
        Assert.Empty(await worker.RenewLeasesAsync([.. claimed.Select(c => c.Lease)], TimeSpan.FromMinutes(10)));
        Assert.Empty(await worker.CompleteAsync([.. claimed.Select(c => new TaskSuccess(c.Lease))]));
        var view = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(3, view.Counts.Cancelled);
        Assert.Empty(await database.QueueMismatchesAsync());
    }
}
