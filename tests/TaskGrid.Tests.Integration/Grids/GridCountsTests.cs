using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Grids;

public sealed class GridCountsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Counts_after_mixed_outcomes_match_the_tasks_table_and_progress_follows()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "mixed",
            Tasks = [.. Enumerable.Range(0, 10).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        // Two that will wait too long: lowest priority, so no claim below takes them.
        await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System,
            [new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 30, Priority = -1 }, new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 30, Priority = -1 }]);
        var fresh = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal((12, 12, GridStatus.Active, 0.0, (DateTimeOffset?)null), (fresh.Total, fresh.Counts.Pending, fresh.Status, fresh.Progress, fresh.StartedAt));
        Assert.Null(fresh.ThroughputPerSecond);

        var claimed = await worker.ClaimAsync(7, TimeSpan.FromMinutes(10));
        Assert.Equal(7, claimed.Count);
        var startedAt = engine.Clock.GetUtcNow();
        engine.Clock.Advance(TimeSpan.FromSeconds(31));
        await worker.CompleteAsync([.. claimed.Take(3).Select(c => new TaskSuccess(c.Lease, Output: "ok"))]);
        await worker.FailAsync([.. claimed.Skip(3).Take(2).Select(c => new TaskFailure(c.Lease, "bad input", Retryable: false, TimeSpan.Zero))]);
        await engine.Grains.Task(claimed[5].Id).CancelAsync(Caller.System);
        var pendingIds = (await engine.Grains.Grid(grid.Id).ListTasksAsync(Caller.System, new TaskQuery(Status: TaskState.Pending, Limit: 100))).Items
            .Where(t => t.Priority == 0).Select(t => t.Id).ToList();
        Assert.Equal(3, pendingIds.Count);
        await engine.Grains.Task(pendingIds[0]).CancelAsync(Caller.System);
        await engine.HeartbeatAsync();
        var pass = await engine.MaintainAsync();
        Assert.Equal((2, 0), (pass.TasksExpired, pass.LeasesReaped));

        // The counters see a claimed task running once it is written so: by its silo when the
        // attempt outlasts TaskGrid:Worker:MarkRunningAfter, or by its outcome (migration 0017).
        Assert.Equal(1, await worker.MarkRunningAsync([claimed[6].Lease]));
        var view = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(new GridCounts(Pending: 2, Running: 1, Completed: 3, Failed: 2, Cancelled: 2, Expired: 2), view.Counts);
        await AssertCountsMatchTasksAsync(grid.Id, view);
        Assert.Equal(12, view.Total);
        Assert.Equal(9.0 / 12, view.Progress, 6);
        Assert.Equal(GridStatus.Active, view.Status);
        Times.Equal(startedAt, view.StartedAt);
        Assert.Null(view.FinishedAt);
        // Five attempts finished (completed or failed) over 31 s; three tasks are left at that rate.
        Assert.Equal(5 / 31.0, view.ThroughputPerSecond!.Value, 3);
        Assert.Equal(3 / (5 / 31.0), view.EtaSeconds!.Value, 1);

        await worker.CompleteAsync([new TaskSuccess(claimed[6].Lease)]);
        foreach (var id in pendingIds.Skip(1))
        {
            await engine.Grains.Task(id).CancelAsync(Caller.System);
        }
        var finished = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(new GridCounts(Pending: 0, Running: 0, Completed: 4, Failed: 2, Cancelled: 4, Expired: 2), finished.Counts);
        await AssertCountsMatchTasksAsync(grid.Id, finished);
        Assert.Equal((GridStatus.Finished, 1.0, 0.0), (finished.Status, finished.Progress, finished.EtaSeconds));
        Times.Equal(engine.Clock.GetUtcNow(), finished.FinishedAt);

        // Adding work reopens a finished grid.
        await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, [new SubmitTaskRequest { Kind = TaskKinds.Noop }]);
        var reopened = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal((GridStatus.Active, 1, (DateTimeOffset?)null), (reopened.Status, reopened.Counts.Pending, reopened.FinishedAt));
        await AssertCountsMatchTasksAsync(grid.Id, reopened);

        // So does retrying a cancelled task.
        await engine.Grains.Task(pendingIds[0]).RetryAsync(Caller.System);
        var retried = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(2, retried.Counts.Pending);
        await AssertCountsMatchTasksAsync(grid.Id, retried);
    }

    // Grids without a limit count in grid_counts shards, limited ones on their row (migration 0011).
    [Theory]
    [InlineData(null)]
    [InlineData(6)]
    public async Task Counts_stay_right_through_retries_reaping_and_release(int? maxConcurrency)
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "churn",
            MaxConcurrency = maxConcurrency,
            MaxAttempts = 5,
            Tasks = [.. Enumerable.Range(0, 6).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        var claimed = await worker.ClaimAsync(6, TimeSpan.FromSeconds(30));
        await worker.FailAsync([new TaskFailure(claimed[0].Lease, "retry me", Retryable: true, TimeSpan.FromSeconds(1))]);
        await worker.ReleaseAsync([claimed[1].Lease, claimed[2].Lease], "shutting down");
        await AssertCountsMatchTasksAsync(grid.Id, await engine.Grains.Grid(grid.Id).GetAsync(Caller.System));

        engine.Clock.Advance(TimeSpan.FromSeconds(31));
        await engine.MaintainAsync();
        var afterReap = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(6, afterReap.Counts.Pending);
        await AssertCountsMatchTasksAsync(grid.Id, afterReap);

        var again = await worker.ClaimAsync(6, TimeSpan.FromSeconds(30));
        await worker.CompleteAsync([.. again.Select(c => new TaskSuccess(c.Lease))]);
        var done = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal((6, GridStatus.Finished), (done.Counts.Completed, done.Status));
        await AssertCountsMatchTasksAsync(grid.Id, done);
    }

    private async Task AssertCountsMatchTasksAsync(Guid gridId, GridView view)
    {
        var counted = await database.GridStatusCountsAsync(gridId);
        var shown = new Dictionary<string, int>
        {
            ["pending"] = view.Counts.Pending,
            ["running"] = view.Counts.Running,
            ["completed"] = view.Counts.Completed,
            ["failed"] = view.Counts.Failed,
            ["cancelled"] = view.Counts.Cancelled,
            ["expired"] = view.Counts.Expired,
        };
        Assert.Equal(counted, shown.Where(kv => kv.Value != 0).ToDictionary());
        Assert.Equal(counted.Values.Sum(), view.Total);
        Assert.Empty(await database.UserPendingMismatchesAsync());
        Assert.Empty(await database.QueueMismatchesAsync());
        Assert.Equal(0, await database.StrandedGridsAsync());
    }
}
