using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Grids;

/// <summary>
/// Claimers find a grid's tasks through its lane flag (grids.has_work, migration 0011): set by
/// whatever makes a task pending, cleared by a claim that came back short and found nothing
/// claimable. A closed lane with a claimable task behind it would strand that task for good.
/// </summary>
public sealed class GridLaneTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_lane_closes_when_its_grid_runs_dry_and_reopens_when_work_comes_back()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "lanes",
            MaxAttempts = 3,
            Tasks = [.. Enumerable.Range(0, 3).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        Assert.True(await HasWorkAsync(grid.Id));

        var claimed = await worker.ClaimAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(3, claimed.Count);
        Assert.False(await HasWorkAsync(grid.Id));

        // A retry waiting for its backoff is claimable, not due: the lane stays open for it.
        await worker.FailAsync([new TaskFailure(claimed[0].Lease, "flaky", Retryable: true, TimeSpan.FromSeconds(30))]);
        Assert.True(await HasWorkAsync(grid.Id));
        Assert.Empty(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        Assert.True(await HasWorkAsync(grid.Id));

        engine.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        Assert.False(await HasWorkAsync(grid.Id));

        await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, [new SubmitTaskRequest { Kind = TaskKinds.Noop }]);
        Assert.True(await HasWorkAsync(grid.Id));
        Assert.Single(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await database.StrandedGridsAsync());
    }

    [Fact]
    public async Task A_claim_leaves_open_the_lane_of_a_grid_that_a_submission_holds()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "held",
            Tasks = [new SubmitTaskRequest { Kind = TaskKinds.Noop }],
        });

        await using (var submission = await database.OpenUnpooledAsync())
        {
            await using var transaction = await submission.BeginTransactionAsync();
            await transaction.HoldRowAsync("grids", "id", grid.Id);
            // Short, and the grid is empty in its snapshot, but the grid row is taken: the claim
            // must neither close the lane nor wait for the submission.
            var claim = worker.ClaimAsync(10, TimeSpan.FromMinutes(1));
            Assert.Same(claim, await Task.WhenAny(claim, Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.Single(await claim);
            Assert.True(await HasWorkAsync(grid.Id));
            await transaction.CommitAsync();
        }

        Assert.Empty(await worker.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        Assert.False(await HasWorkAsync(grid.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public async Task Submissions_racing_claimers_that_close_lanes_never_strand_a_task(int? maxConcurrency)
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "race",
            MaxConcurrency = maxConcurrency,
        });
        var workers = new List<IWorkerGrain>();
        for (var i = 0; i < 6; i++)
        {
            workers.Add(await engine.WorkerAsync());
        }

        const int submitters = 3, submissionsEach = 60;
        var submitted = 0;
        var submitting = Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < submissionsEach; i++)
            {
                var size = 1 + (i % 3);
                await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System,
                    [.. Enumerable.Range(0, size).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })]);
                Interlocked.Add(ref submitted, size);
            }
        })).ToList();
        var allSubmitted = Task.WhenAll(submitting);

        // Each worker claims small batches and acknowledges them at once (so a limited grid keeps
        // freeing slots), until the submissions are over and its claim comes back empty.
        var completed = 0;
        await Task.WhenAll(workers.Select(worker => Task.Run(async () =>
        {
            while (true)
            {
                var over = allSubmitted.IsCompleted;
                var batch = await worker.ClaimAsync(2, TimeSpan.FromMinutes(1));
                if (batch.Count > 0)
                {
                    await worker.CompleteAsync([.. batch.Select(c => new TaskSuccess(c.Lease))]);
                    Interlocked.Add(ref completed, batch.Count);
                }
                else if (over)
                {
                    return;
                }
            }
        })));
        await allSubmitted;

        Assert.Equal(0, await database.StrandedGridsAsync());
        Assert.Empty(await database.QueueMismatchesAsync());
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status <> 'completed'", ("id", grid.Id)));
        Assert.Equal(submitted, completed);
        var view = await engine.Grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal((submitted, GridStatus.Finished), (view.Counts.Completed, view.Status));
    }

    private Task<bool> HasWorkAsync(Guid gridId) =>
        database.ScalarAsync<bool>("select has_work from grids where id = @id", ("id", gridId));
}
