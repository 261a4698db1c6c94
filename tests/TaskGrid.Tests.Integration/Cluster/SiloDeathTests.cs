using TaskGrid.Cluster;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Cluster;

public sealed class SiloDeathTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_silo_that_stops_heartbeating_is_declared_dead_and_its_running_tasks_go_back_to_pending()
    {
        await using var engine = await Engine.StartAsync(database);
        var (dying, dyingWorker) = await engine.JoinAsync();
        var (healthy, healthyWorker) = await engine.JoinAsync();
        var lost = await engine.SubmitAsync();
        var lostClaim = await engine.ClaimOneAsync(dyingWorker, lost.Id, TimeSpan.FromMinutes(10));
        var kept = await engine.SubmitAsync();
        await engine.ClaimOneAsync(healthyWorker, kept.Id, TimeSpan.FromMinutes(10));

        // Past SiloDeadAfter (30 s) but well within the leases: only the silence of the silo counts.
        engine.Clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(SiloState.Active, await engine.Membership.HeartbeatAsync(healthy, CancellationToken.None));
        engine.Clock.Advance(TimeSpan.FromSeconds(10));
        var pass = await engine.MaintainAsync();

        Assert.Contains(dying.Name, pass.SilosDeclaredDead);
        Assert.DoesNotContain(healthy.Name, pass.SilosDeclaredDead);
        Assert.Equal(1, pass.LeasesReaped);
        Assert.Equal("dead", await database.ScalarAsync<string>("select state from silos where name = @n", ("n", dying.Name)));
        Assert.Equal("active", await database.ScalarAsync<string>("select state from silos where name = @n", ("n", healthy.Name)));
        var requeued = await database.TaskRowAsync(lost.Id);
        Assert.Equal(("pending", 1, (Guid?)null, (string?)null), (requeued.Status, requeued.Attempt, requeued.LeaseToken, requeued.LeaseOwner));
        Assert.Equal("running", await engine.StatusAsync(kept.Id));
        var last = (await engine.EventsAsync(lost.Id))[^1];
        Assert.Equal((TaskState.Running, TaskState.Pending, "reaper", $"lease lost by {dyingWorker.Id}"), (last.From, last.To, last.Worker, last.Reason));

        // The dead silo finds out at its next heartbeat, and its late result is refused.
        Assert.Null(await engine.Membership.HeartbeatAsync(dying, CancellationToken.None));
        Assert.Empty(await dyingWorker.CompleteAsync([new TaskSuccess(lostClaim.Lease)]));
        Assert.Equal(2, (await engine.ClaimOneAsync(healthyWorker, lost.Id)).Attempt);
    }

    [Fact]
    public async Task A_task_out_of_attempts_fails_with_an_explanation_when_its_silo_dies()
    {
        await using var engine = await Engine.StartAsync(database);
        var (_, worker) = await engine.JoinAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 1 });
        await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromMinutes(10));

        engine.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, (await engine.MaintainAsync()).LeasesReaped);

        var failed = await database.TaskRowAsync(task.Id);
        Assert.Equal(("failed", 1, (Guid?)null), (failed.Status, failed.Attempt, failed.LeaseToken));
        Assert.Equal($"attempt 1 of 1 was lost: worker {worker.Id} stopped renewing its lease (it crashed, hung or lost the database)", failed.Error);
        Times.Equal(engine.Clock.GetUtcNow(), failed.CompletedAt);
        var last = (await engine.EventsAsync(task.Id))[^1];
        Assert.Equal((TaskState.Running, TaskState.Failed, "reaper"), (last.From, last.To, last.Worker));
    }

    [Fact]
    public async Task A_lapsed_lease_on_the_last_attempt_fails_the_task()
    {
        await using var engine = await Engine.StartAsync(database);
        var (silo, worker) = await engine.JoinAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 2 });
        await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromSeconds(10));
        engine.Clock.Advance(TimeSpan.FromSeconds(11));
        await engine.Membership.HeartbeatAsync(silo, CancellationToken.None);
        Assert.Equal(1, (await engine.MaintainAsync()).LeasesReaped);
        Assert.Equal("pending", await engine.StatusAsync(task.Id));

        await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromSeconds(10));
        engine.Clock.Advance(TimeSpan.FromSeconds(11));
        await engine.Membership.HeartbeatAsync(silo, CancellationToken.None);
        Assert.Equal(1, (await engine.MaintainAsync()).LeasesReaped);
        var failed = await database.TaskRowAsync(task.Id);
        Assert.Equal(("failed", 2), (failed.Status, failed.Attempt));
        Assert.StartsWith("attempt 2 of 2 was lost", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_rejoining_under_its_name_takes_back_its_previous_incarnations_tasks_at_once()
    {
        await using var engine = await Engine.StartAsync(database);
        var (silo, worker) = await engine.JoinAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromMinutes(10));

        var restarted = silo with { Incarnation = Guid.NewGuid(), ProcessId = silo.ProcessId + 1 };
        Assert.Equal(1, await engine.Membership.JoinAsync(restarted, CancellationToken.None));
        Assert.Equal("pending", await engine.StatusAsync(task.Id));
        Assert.Null(await engine.Membership.HeartbeatAsync(silo, CancellationToken.None));
        Assert.Equal(SiloState.Active, await engine.Membership.HeartbeatAsync(restarted, CancellationToken.None));
        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]));
    }
}
