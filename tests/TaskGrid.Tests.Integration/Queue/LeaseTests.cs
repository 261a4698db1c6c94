using TaskGrid.Access;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>Leases fence every acknowledgement: execution is at-least-once, the recorded outcome exactly-once.</summary>
public sealed class LeaseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_dead_workers_task_is_redelivered_and_completed_once()
    {
        await using var engine = await Engine.StartAsync(database);
        var workerA = await engine.WorkerAsync();
        var workerB = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();

        var first = await engine.ClaimOneAsync(workerA, task.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(1, first.Attempt);
        Assert.Empty(await workerB.ClaimAsync(10, TimeSpan.FromSeconds(30)));

        // Worker A goes silent; its lease lapses and the reaper hands the task back.
        // (Both silos still heartbeat: only the lease lapses.)
        engine.Clock.Advance(TimeSpan.FromSeconds(31));
        await engine.HeartbeatAsync();
        var pass = await engine.MaintainAsync();
        Assert.Equal(1, pass.LeasesReaped);
        Assert.Empty(pass.SilosDeclaredDead);
        var requeued = await database.TaskRowAsync(task.Id);
        Assert.Equal(("pending", 1, (Guid?)null), (requeued.Status, requeued.Attempt, requeued.LeaseToken));

        var second = await engine.ClaimOneAsync(workerB, task.Id);
        Assert.Equal(2, second.Attempt);
        Assert.NotEqual(first.Lease.Token, second.Lease.Token);
        Assert.Equal([task.Id], await workerB.CompleteAsync([new TaskSuccess(second.Lease, Output: "from B")]));

        // A wakes up and reports; its outcome is refused whatever it says.
        Assert.Empty(await workerA.CompleteAsync([new TaskSuccess(first.Lease, Output: "from A")]));
        Assert.Empty(await workerA.FailAsync([new TaskFailure(first.Lease, "late failure", Retryable: true, TimeSpan.Zero)]));
        Assert.Empty(await workerB.CompleteAsync([new TaskSuccess(second.Lease, Output: "twice")]));

        var done = await database.TaskRowAsync(task.Id);
        Assert.Equal(("completed", 2, "from B", (string?)null), (done.Status, done.Attempt, done.Output, done.Error));
        Assert.Equal(1, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id and to_status = 'completed'", ("id", task.Id)));
        var events = await engine.EventsAsync(task.Id);
        Assert.Equal(
            [(null, TaskState.Pending, "api:system"), (TaskState.Pending, TaskState.Running, workerA.Id), (TaskState.Running, TaskState.Pending, "reaper"),
             (TaskState.Pending, TaskState.Running, workerB.Id), (TaskState.Running, TaskState.Completed, workerB.Id)],
            events.Select(e => (e.From, e.To, e.Worker)));
        Assert.Equal($"lease lost by {workerA.Id}", events[2].Reason);
    }

    [Fact]
    public async Task A_stale_lease_token_can_neither_complete_fail_renew_nor_release()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        var before = await database.TaskRowAsync(task.Id);
        var stale = new LeaseRef(task.Id, Guid.NewGuid());

        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(stale, Output: "x")]));
        Assert.Empty(await worker.FailAsync([new TaskFailure(stale, "x", Retryable: false, TimeSpan.Zero)]));
        Assert.Empty(await worker.RenewLeasesAsync([stale], TimeSpan.FromHours(1)));
        Assert.Equal(0, await worker.ReleaseAsync([stale], "x"));

        Assert.Equal(before, await database.TaskRowAsync(task.Id));
        Assert.Equal("leased", await engine.HoldingStateAsync(task.Id));
        Assert.Equal([task.Id], await worker.RenewLeasesAsync([claimed.Lease], TimeSpan.FromHours(1)));
        Assert.Equal(1, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", task.Id)));
    }

    [Fact]
    public async Task A_token_of_a_finished_attempt_changes_nothing_afterwards()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        Assert.Equal([task.Id], await worker.FailAsync([new TaskFailure(claimed.Lease, "boom", Retryable: false, TimeSpan.Zero)]));
        var failed = await database.TaskRowAsync(task.Id);

        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]));
        Assert.Empty(await worker.RenewLeasesAsync([claimed.Lease], TimeSpan.FromHours(1)));
        Assert.Equal(0, await worker.ReleaseAsync([claimed.Lease], "x"));
        Assert.Equal(failed, await database.TaskRowAsync(task.Id));
        Assert.Equal("failed", failed.Status);
    }

    [Fact]
    public async Task A_renewed_lease_outlives_its_first_expiry()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromSeconds(30));

        engine.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal([task.Id], await worker.RenewLeasesAsync([claimed.Lease], TimeSpan.FromSeconds(30)));
        engine.Clock.Advance(TimeSpan.FromSeconds(20));
        await engine.HeartbeatAsync();
        Assert.Equal(0, (await engine.MaintainAsync()).LeasesReaped);
        Assert.Equal("running", await engine.StatusAsync(task.Id));
        Assert.Equal([task.Id], await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]));
    }

    [Fact]
    public async Task A_batch_acknowledgement_records_the_leases_it_holds_and_refuses_the_rest()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var kept = await engine.SubmitAsync();
        var cancelled = await engine.SubmitAsync();
        var claimed = (await worker.ClaimAsync(10, TimeSpan.FromMinutes(10))).ToDictionary(c => c.Id);
        Assert.Equal(new HashSet<Guid> { kept.Id, cancelled.Id }, claimed.Keys.ToHashSet());
        await engine.Grains.Task(cancelled.Id).CancelAsync(Caller.System);

        var acknowledged = await worker.CompleteAsync([new TaskSuccess(claimed[kept.Id].Lease, Output: "ok"), new TaskSuccess(claimed[cancelled.Id].Lease, Output: "too late")]);
        Assert.Equal([kept.Id], acknowledged);
        Assert.Equal("completed", await engine.StatusAsync(kept.Id));
        var row = await database.TaskRowAsync(cancelled.Id);
        Assert.Equal(("cancelled", (string?)null), (row.Status, row.Output));
    }

    [Fact]
    public async Task A_task_whose_lease_is_lost_after_its_ttl_is_redelivered_not_expired()
    {
        // The TTL bounds the wait for a first start. A task that started and lost its worker
        // must run again, however long it had waited in the queue before.
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 60 });
        await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromSeconds(30));

        engine.Clock.Advance(TimeSpan.FromMinutes(5));
        var pass = await engine.MaintainAsync();
        Assert.Equal((1, 0), (pass.LeasesReaped, pass.TasksExpired));
        Assert.Equal("pending", await engine.StatusAsync(task.Id));
        Assert.Equal(0, (await engine.MaintainAsync()).TasksExpired);
        var again = await engine.ClaimOneAsync(await engine.WorkerAsync(), task.Id);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task A_task_released_after_its_ttl_is_claimable_again_not_expired()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 60 });
        var claimed = await engine.ClaimOneAsync(worker, task.Id);

        engine.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await worker.ReleaseAsync([claimed.Lease], "released: silo shut down"));
        var released = await database.TaskRowAsync(task.Id);
        Assert.Equal(("pending", 0), (released.Status, released.Attempt));
        Assert.Equal(0, (await engine.MaintainAsync()).TasksExpired);
        var again = await engine.ClaimOneAsync(await engine.WorkerAsync(), task.Id);
        Assert.Equal(1, again.Attempt);
    }
}
