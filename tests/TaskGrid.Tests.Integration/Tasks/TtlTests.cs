using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Tasks;

public sealed class TtlTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_single_task_not_started_within_its_ttl_expires_is_kept_and_can_be_retried()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        Assert.Equal(task.CreatedAt + TimeSpan.FromMinutes(5), task.ExpiresAt);

        engine.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await engine.MaintainAsync()).TasksExpired);
        Assert.Equal("pending", await engine.StatusAsync(task.Id));

        engine.Clock.Advance(TimeSpan.FromSeconds(2));
        // Overdue but not yet reaped: no worker may start it any more.
        Assert.DoesNotContain(await worker.ClaimAsync(100, TimeSpan.FromMinutes(1)), c => c.Id == task.Id);
        Assert.Equal(1, (await engine.MaintainAsync()).TasksExpired);

        var expired = await database.TaskRowAsync(task.Id);
        Assert.Equal(("expired", 0, "not started within its time to live"), (expired.Status, expired.Attempt, expired.Error));
        Times.Equal(engine.Clock.GetUtcNow(), expired.CompletedAt);
        var last = (await engine.EventsAsync(task.Id))[^1];
        Assert.Equal((TaskState.Pending, TaskState.Expired, "reaper"), (last.From, last.To, last.Worker));

        engine.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("expired", await engine.StatusAsync(task.Id));

        var retried = await engine.Grains.Task(task.Id).RetryAsync(Caller.System);
        Assert.Equal((TaskState.Pending, 0, (string?)null, (DateTimeOffset?)null), (retried.Status, retried.Attempt, retried.Error, retried.CompletedAt));
        Times.Equal(engine.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), retried.ExpiresAt);
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        Assert.Equal(1, claimed.Attempt);
    }

    [Fact]
    public async Task A_task_sets_its_own_ttl()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 10 });
        Assert.Equal(task.CreatedAt + TimeSpan.FromSeconds(10), task.ExpiresAt);
        engine.Clock.Advance(TimeSpan.FromSeconds(10));
        await engine.MaintainAsync();
        Assert.Equal("expired", await engine.StatusAsync(task.Id));
    }

    [Fact]
    public async Task Grid_tasks_have_no_ttl_unless_the_grid_sets_one()
    {
        await using var engine = await Engine.StartAsync(database);
        var patient = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "patient",
            Tasks = [new SubmitTaskRequest { Kind = TaskKinds.Noop }, new SubmitTaskRequest { Kind = TaskKinds.Noop }],
        });
        var hasty = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "hasty",
            TaskTtlSeconds = 60,
            Tasks = [new SubmitTaskRequest { Kind = TaskKinds.Noop }, new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 3600 }],
        });
        Assert.Null(patient.TaskTtlSeconds);
        Assert.Equal(60, hasty.TaskTtlSeconds);
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and expires_at is not null", ("id", patient.Id)));

        engine.Clock.Advance(TimeSpan.FromMinutes(2));
        await engine.MaintainAsync();
        Assert.Equal(new Dictionary<string, int> { ["pending"] = 1, ["expired"] = 1 }, await database.GridStatusCountsAsync(hasty.Id));

        engine.Clock.Advance(TimeSpan.FromDays(40));
        await engine.MaintainAsync();
        Assert.Equal(new Dictionary<string, int> { ["pending"] = 2 }, await database.GridStatusCountsAsync(patient.Id));
        Assert.Equal(new Dictionary<string, int> { ["expired"] = 2 }, await database.GridStatusCountsAsync(hasty.Id));
        var view = await engine.Grains.Grid(patient.Id).GetAsync(Caller.System);
        Assert.Equal(2, view.Counts.Pending);
    }

    [Fact]
    public async Task A_retried_task_that_started_once_does_not_expire_while_it_waits_to_retry()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 30 });
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        await worker.FailAsync([new Workers.TaskFailure(claimed.Lease, "503", Retryable: true, TimeSpan.FromMinutes(2))]);
        engine.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, (await engine.MaintainAsync()).TasksExpired);
        Assert.Equal(2, (await engine.ClaimOneAsync(worker, task.Id)).Attempt);
    }
}
