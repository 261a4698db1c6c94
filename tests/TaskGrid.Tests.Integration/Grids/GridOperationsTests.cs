using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Grids;

public sealed class GridOperationsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static SubmitTaskRequest[] Noops(int count) => [.. Enumerable.Range(0, count).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })];

    private static async Task<GridView> CreateAsync(Engine engine, int tasks, Caller? caller = null, CreateGridRequest? request = null) =>
        await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(caller ?? Caller.System, (request ?? new CreateGridRequest { Name = "ops" }) with { Tasks = Noops(tasks) });

    [Fact]
    public async Task A_paused_grids_tasks_are_not_claimed_until_it_is_resumed()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await CreateAsync(engine, 3);

        var paused = await engine.Grains.Grid(grid.Id).PauseAsync(Caller.System);
        Assert.Equal((GridStatus.Paused, 0, grid.Version + 1), (paused.Grid.Status, paused.TasksAffected, paused.Grid.Version));
        Assert.Equal("paused", await database.ScalarAsync<string>("select state from grids where id = @id", ("id", grid.Id)));
        Assert.Empty(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        // Work added while paused waits too.
        await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, Noops(2));
        Assert.Empty(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));

        var resumed = await engine.Grains.Grid(grid.Id).ResumeAsync(Caller.System);
        Assert.Equal(GridStatus.Active, resumed.Grid.Status);
        var claimed = await worker.ClaimAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(5, claimed.Count);
        Assert.All(claimed, c => Assert.Equal(grid.Id, c.GridId));
    }

    [Fact]
    public async Task Pausing_lets_running_tasks_finish()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await CreateAsync(engine, 2);
        var claimed = await worker.ClaimAsync(1, TimeSpan.FromMinutes(1));
        await engine.Grains.Grid(grid.Id).PauseAsync(Caller.System);
        Assert.Equal([claimed[0].Id], await worker.CompleteAsync([new TaskSuccess(claimed[0].Lease)]));
        var view = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal((GridStatus.Paused, 1, 1), (view.Status, view.Counts.Completed, view.Counts.Pending));
    }

    [Fact]
    public async Task Cancelling_a_grid_cancels_its_pending_and_running_tasks_and_refuses_late_results()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await CreateAsync(engine, 5);
        var claimed = await worker.ClaimAsync(3, TimeSpan.FromMinutes(1));
        await worker.CompleteAsync([new TaskSuccess(claimed[0].Lease)]);

        var change = await engine.Grains.Grid(grid.Id).CancelAsync(Caller.System);

        Assert.Equal(4, change.TasksAffected);
        Assert.Equal(GridStatus.Cancelled, change.Grid.Status);
        Assert.Equal(new GridCounts(Pending: 0, Running: 0, Completed: 1, Failed: 0, Cancelled: 4, Expired: 0), change.Grid.Counts);
        Assert.Equal(new Dictionary<string, int> { ["completed"] = 1, ["cancelled"] = 4 }, await database.GridStatusCountsAsync(grid.Id));
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and lease_token is not null", ("id", grid.Id)));
        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(claimed[1].Lease)]));
        Assert.Empty(await worker.FailAsync([new TaskFailure(claimed[2].Lease, "x", Retryable: true, TimeSpan.Zero)]));
        Assert.Empty(await worker.RenewLeasesAsync([claimed[1].Lease], TimeSpan.FromMinutes(1)));
        Assert.Equal("cancelled", await engine.StatusAsync(claimed[1].Id));
        var last = (await engine.EventsAsync(claimed[1].Id))[^1];
        Assert.Equal((TaskState.Running, TaskState.Cancelled, "api:system", "grid cancelled"), (last.From, last.To, last.Worker, last.Reason));
        Assert.Empty(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Retry_failed_requeues_failed_and_expired_tasks_only()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await CreateAsync(engine, 3);
        var expiring = (await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, [new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 5, Priority = -1 }])).TaskIds[0];
        var cancelled = (await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, [new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = -2 }])).TaskIds[0];
        await engine.Grains.Task(cancelled).CancelAsync(Caller.System);
        var claimed = await worker.ClaimAsync(3, TimeSpan.FromMinutes(1));
        Assert.Equal(3, claimed.Count);
        await worker.CompleteAsync([new TaskSuccess(claimed[0].Lease)]);
        await worker.FailAsync([.. claimed.Skip(1).Select(c => new TaskFailure(c.Lease, "bad", Retryable: false, TimeSpan.Zero))]);
        engine.Clock.Advance(TimeSpan.FromSeconds(6));
        await engine.MaintainAsync();
        Assert.Equal("expired", await engine.StatusAsync(expiring));

        var change = await engine.Grains.Grid(grid.Id).RetryFailedAsync(Caller.System);

        Assert.Equal(3, change.TasksAffected);
        Assert.Equal(new GridCounts(Pending: 3, Running: 0, Completed: 1, Failed: 0, Cancelled: 1, Expired: 0), change.Grid.Counts);
        foreach (var id in new[] { claimed[1].Id, claimed[2].Id, expiring })
        {
            var row = await database.TaskRowAsync(id);
            Assert.Equal(("pending", 0, (string?)null, (DateTimeOffset?)null), (row.Status, row.Attempt, row.Error, row.CompletedAt));
            Assert.Equal("grid retry-failed by api:system", (await engine.EventsAsync(id))[^1].Reason);
        }
        Assert.Equal("completed", await engine.StatusAsync(claimed[0].Id));
        Assert.Equal("cancelled", await engine.StatusAsync(cancelled));
        Assert.Equal(3, (await worker.ClaimAsync(10, TimeSpan.FromMinutes(1))).Count);
    }

    [Fact]
    public async Task Illegal_grid_operations_are_state_conflicts_and_change_nothing()
    {
        await using var engine = await Engine.StartAsync(database);
        var active = await CreateAsync(engine, 1);
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(active.Id).ResumeAsync(Caller.System));

        var paused = await CreateAsync(engine, 1);
        await engine.Grains.Grid(paused.Id).PauseAsync(Caller.System);
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(paused.Id).PauseAsync(Caller.System));

        var cancelled = await CreateAsync(engine, 1);
        await engine.Grains.Grid(cancelled.Id).CancelAsync(Caller.System);
        var version = (await engine.Grains.Grid(cancelled.Id).GetAsync(Caller.System)).Version;
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(cancelled.Id).CancelAsync(Caller.System));
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(cancelled.Id).PauseAsync(Caller.System));
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(cancelled.Id).ResumeAsync(Caller.System));
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(cancelled.Id).RetryFailedAsync(Caller.System));
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(cancelled.Id).AddTasksAsync(Caller.System, Noops(1)));
        var cancelledTask = (await engine.Grains.Grid(cancelled.Id).ListTasksAsync(Caller.System, new TaskQuery())).Items.Single();
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Task(cancelledTask.Id).RetryAsync(Caller.System));

        var after = await engine.Grains.Grid(cancelled.Id).GetAsync(Caller.System);
        Assert.Equal((GridStatus.Cancelled, version, 1), (after.Status, after.Version, after.Total));
        Assert.Equal("cancelled", await engine.StatusAsync(cancelledTask.Id));
        Assert.Equal(GridStatus.Active, (await engine.Grains.Grid(active.Id).GetAsync(Caller.System)).Status);
        Assert.Equal(GridStatus.Paused, (await engine.Grains.Grid(paused.Id).GetAsync(Caller.System)).Status);
        await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Grid(active.Id).CreateAsync(Caller.System, new CreateGridRequest { Name = "same id" }));
    }

    [Fact]
    public async Task Another_users_grid_does_not_exist_for_them()
    {
        await using var engine = await Engine.StartAsync(database);
        var alice = new Caller($"alice-{Guid.NewGuid():N}", CallerRole.User);
        var bob = new Caller($"bob-{Guid.NewGuid():N}", CallerRole.User);
        // A user may not name another owner; leaving user_id out makes the caller the owner.
        await Assert.ThrowsAsync<AccessDeniedException>(() => CreateAsync(engine, 2, alice, new CreateGridRequest { Name = "theirs", UserId = bob.UserId }));
        var grid = await CreateAsync(engine, 2, alice, new CreateGridRequest { Name = "mine" });
        Assert.Equal(alice.UserId, grid.UserId);
        var grain = engine.Grains.Grid(grid.Id);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.GetAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.PauseAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.ResumeAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.CancelAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.RetryFailedAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.AddTasksAsync(bob, Noops(1)));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.ListTasksAsync(bob, new TaskQuery()));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Catalog().ListTasksAsync(bob, new TaskQuery(GridId: grid.Id)));
        var notFound = await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Grid(Guid.CreateVersion7()).GetAsync(alice));
        Assert.Equal("grid", notFound.Resource);

        var untouched = await grain.GetAsync(alice);
        Assert.Equal((GridStatus.Active, 2, grid.Version), (untouched.Status, untouched.Total, untouched.Version));
        Assert.Equal(2, (await grain.GetAsync(Caller.System)).Total);
        Assert.Equal(2, (await grain.ListTasksAsync(alice, new TaskQuery())).Items.Count);
    }

    [Fact]
    public async Task A_grid_passes_its_defaults_to_its_tasks_and_a_task_may_override_them()
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "defaults",
            Priority = 7,
            MaxAttempts = 4,
            Matrix = new GridMatrix { Objectives = ["a", "b"], Languages = ["go", "rust", "c"] },
            Tasks = [new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = -3, MaxAttempts = 1 }],
        });
        Assert.Equal(7, grid.Total);
        var tasks = (await engine.Grains.Grid(grid.Id).ListTasksAsync(Caller.System, new TaskQuery(Limit: 100))).Items;
        var matrix = tasks.Where(t => t.Kind == TaskKinds.Codegen).ToList();
        Assert.Equal(6, matrix.Count);
        Assert.All(matrix, t => Assert.Equal((7, 4, (DateTimeOffset?)null), (t.Priority, t.MaxAttempts, t.ExpiresAt)));
        Assert.Equal(
            ["a/c", "a/go", "a/rust", "b/c", "b/go", "b/rust"],
            matrix.Select(t => $"{t.Objective}/{t.Language}").Order(StringComparer.Ordinal));
        var own = Assert.Single(tasks, t => t.Kind == TaskKinds.Noop);
        Assert.Equal((-3, 1), (own.Priority, own.MaxAttempts));
    }
}
